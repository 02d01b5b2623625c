package dev.pier.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.Executables;
import dev.pier.PierApplication;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The streaming examples with the clients people use: curl ({@code -T}, {@code -N}) and the JDK's
 * {@code HttpClient} with a streaming publisher and a line-by-line subscriber, against the
 * application run with the {@code examples} profile.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StreamingExamplesWithRealClientsTests {

    @TempDir
    static Path work;

    private static ConfigurableApplicationContext context;
    private static String origin;

    @BeforeAll
    static void start() {
        context = new SpringApplicationBuilder(PierApplication.class).profiles("examples").run("--server.port=0",
                "--pier.document-root=site", "--pier.event-loops=1", "--pier.worker-threads=2", "--pier.access-log.enabled=false");
        origin = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void whenCurlUploadsAFileThenTheAnswerHasItsLengthAndDigest() throws Exception {
        Path file = work.resolve("upload.bin");
        byte[] content = new byte[5 * 1024 * 1024 + 3];
        new Random(13).nextBytes(content);
        Files.write(file, content);

        JsonNode answer = JsonMapper.shared().readTree(curl("-sS", "-T", file.toString(), origin + "/examples/upload"));

        assertThat(answer.get("bytes").asLong()).isEqualTo(content.length);
        assertThat(answer.get("sha256").asString()).isEqualTo(sha256(content));
    }

    @Test
    void whenCurlPostsAFormThenEachPartIsDigestedFieldsIncluded() throws Exception {
        Path file = work.resolve("photo.jpg");
        byte[] content = new byte[3 * 1024 * 1024];
        new Random(17).nextBytes(content);
        Files.write(file, content);

        JsonNode answer = JsonMapper.shared().readTree(curl("-sS", "-F", "name=Ada Lovelace", "-F", "photo=@" + file + ";type=image/jpeg",
                origin + "/examples/upload"));

        JsonNode parts = answer.get("parts");
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).get("name").asString()).isEqualTo("name");
        assertThat(parts.get(0).get("filename").isNull()).isTrue();
        assertThat(parts.get(0).get("sha256").asString()).isEqualTo(sha256("Ada Lovelace".getBytes(StandardCharsets.UTF_8)));
        assertThat(parts.get(1).get("name").asString()).isEqualTo("photo");
        assertThat(parts.get(1).get("filename").asString()).isEqualTo("photo.jpg");
        assertThat(parts.get(1).get("bytes").asLong()).isEqualTo(content.length);
        assertThat(parts.get(1).get("sha256").asString()).isEqualTo(sha256(content));
        assertThat(answer.get("bytes").asLong()).isGreaterThan(content.length);
    }

    @Test
    void whenAFormIsMalformedOrAFieldTooLargeThenItsStatusAndReason() throws Exception {
        String malformed = curl("-sS", "-w", " %{http_code}", "-H", "Content-Type: multipart/form-data; boundary=xyz", "--data-binary", "no delimiter here",
                origin + "/examples/upload");
        assertThat(malformed).endsWith(" 400");

        Path big = work.resolve("big-field.txt");
        Files.writeString(big, "f".repeat(2 * 1024 * 1024));
        String tooLarge = curl("-sS", "-w", " %{http_code}", "-F", "note=<" + big, origin + "/examples/upload");
        assertThat(tooLarge).endsWith(" 413");
    }

    @Test
    void whenCurlStreamsNumbersThenEveryLineArrives() throws Exception {
        String body = curl("-sS", "-N", origin + "/examples/numbers?count=100000");

        assertThat(body).isEqualTo(LongStream.rangeClosed(1, 100_000).mapToObj(i -> i + "\n").collect(Collectors.joining()));
    }

    @Test
    void whenTheJdkClientPublishesAStreamOfUnknownLengthThenItIsSentChunkedAndDigestedWhole() throws Exception {
        byte[] part = new byte[1024 * 1024];
        new Random(5).nextBytes(part);
        AtomicLong opened = new AtomicLong();
        HttpRequest request = HttpRequest.newBuilder(URI.create(origin + "/examples/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    opened.incrementAndGet();
                    List<InputStream> parts = Stream.generate(() -> (InputStream) new ByteArrayInputStream(part)).limit(8).toList();
                    return new SequenceInputStream(Collections.enumeration(parts));
                }))
                .build();

        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());

        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 8; i++) {
            digest.update(part);
        }
        JsonNode answer = JsonMapper.shared().readTree(response.body());
        assertThat(answer.get("bytes").asLong()).isEqualTo(8L * part.length);
        assertThat(answer.get("sha256").asString()).isEqualTo(HexFormat.of().formatHex(digest.digest()));
        assertThat(opened.get()).isEqualTo(1);
    }

    @Test
    void whenTheJdkClientReadsLinesAsTheyComeThenItSeesThemInOrder() throws Exception {
        HttpResponse<Stream<String>> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create(origin + "/examples/numbers?count=50000")).build(), HttpResponse.BodyHandlers.ofLines());

        assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        try (Stream<String> lines = response.body()) {
            assertThat(lines.mapToLong(Long::parseLong).toArray()).isEqualTo(LongStream.rangeClosed(1, 50_000).toArray());
        }
    }

    private static String curl(String... args) throws IOException, InterruptedException {
        String curl = Executables.find("curl");
        assumeTrue(curl != null, "curl is not installed");
        List<String> command = new ArrayList<>(List.of(curl));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(work.resolve("curl.err").toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(work.resolve("curl.err"))).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
