package dev.pier.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.pier.Executables;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import dev.pier.PierApplication;
import dev.pier.RawHttp;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole application writing its access log in each format, for requests sent over a socket,
 * through the logging configuration it ships ({@code logback-spring.xml}).
 */
@ExtendWith(OutputCaptureExtension.class)
class AccessLogOverSocketTests {

    /** A file size that tells the body from the whole response: 1,040 bytes, as the issue's example. */
    private static final int FILE_SIZE = 1040;

    private static final Pattern CLF_TIME = Pattern.compile("\\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}]");

    @TempDir
    Path site;

    private ConfigurableApplicationContext context;
    private ListAppender<ILoggingEvent> lines;

    @AfterEach
    void close() {
        if (lines != null) {
            accessLogger().detachAppender(lines);
        }
        if (context != null) {
            context.close();
        }
    }

    @Test
    void whenDefaultsThenCombinedLinesWrittenByTheAccessLogThreadToTheConsoleAsTheyAre(CapturedOutput output) throws IOException {
        int port = start();
        Logger logger = accessLogger();
        assertThat(logger.isAdditive()).as("not repeated through the root logger").isFalse();
        assertThat(logger.getAppender("ACCESS_CONSOLE")).isInstanceOf(ConsoleAppender.class);

        try (RawHttp http = RawHttp.connect(port)) {
            http.exchange("GET /index.html?x=1 HTTP/1.1\r\nHost: localhost\r\nReferer: http://example.com/\r\nUser-Agent: test-agent/1.0\r\n\r\n");
            http.get("/missing");
        }

        List<String> logged = awaitLines(2);
        assertThat(logged.get(0)).matches("127\\.0\\.0\\.1 - - \\[.+] \"GET /index\\.html\\?x=1 HTTP/1\\.1\" 200 \\d+ \"http://example\\.com/\" \"test-agent/1\\.0\"");
        assertThat(CLF_TIME.matcher(logged.get(0)).find()).isTrue();
        assertThat(logged.get(1)).matches("127\\.0\\.0\\.1 - - \\[.+] \"GET /missing HTTP/1\\.1\" 404 \\d+ \"-\" \"-\"");
        assertThat(lines.list).extracting(ILoggingEvent::getThreadName).as("logged off the event loops").containsOnly("pier-access-log");
        assertThat(context.getBean(MeterRegistry.class).get("pier.accesslog.dropped").functionCounter().count()).isZero();
        // On the console as written, without the application log's timestamp, level and logger name.
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getOut().lines().anyMatch(line -> line.equals(logged.get(1))));
    }

    @Test
    void whenCommonWithResponseTimeThenCommonLinesEndingInMilliseconds() throws IOException {
        int port = start("--pier.access-log.format=common", "--pier.access-log.response-time=true");

        RawHttp.get(port, "/index.html");

        assertThat(awaitLines(1).get(0)).matches("127\\.0\\.0\\.1 - - \\[.+] \"GET /index\\.html HTTP/1\\.1\" 200 \\d+ \\d+\\.\\d{3}");
    }

    @Test
    void whenJsonThenOneJsonObjectPerRequestWithItsResponseTime() throws IOException {
        int port = start("--pier.access-log.format=json");

        RawHttp.get(port, "/index.html");

        JsonNode line = JsonMapper.shared().readTree(awaitLines(1).get(0));
        assertThat(line.get("remote").asString()).isEqualTo("127.0.0.1");
        assertThat(line.get("method").asString()).isEqualTo("GET");
        assertThat(line.get("uri").asString()).isEqualTo("/index.html");
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("bytes_sent").asLong()).isGreaterThan("<h1>home</h1>".length());
        assertThat(line.get("response_time_ms").isNumber()).isTrue();
        assertThat(line.get("completed").asBoolean()).isTrue();
    }

    @Test
    void whenBytesAreRefusedBeforeTheyMakeARequestThenTheLineHasADashForARequest() throws IOException {
        int port = start();

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 400");
        }

        assertThat(awaitLines(1).get(0)).matches("127\\.0\\.0\\.1 - - \\[.+] \"-\" 400 \\d+ \"-\" \"-\"");
    }

    @Test
    void whenDisabledThenNothingIsLogged() throws IOException {
        int port = start("--pier.access-log.enabled=false");

        assertThat(RawHttp.get(port, "/index.html").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/index.html").status()).isEqualTo(200);

        assertThat(context.getBeansOfType(AccessLog.class)).isEmpty();
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).doesNotContain("pier-access-log");
        assertThat(lines.list).isEmpty();
    }

    /**
     * GoAccess's predefined {@code COMBINED} format, {@code %h %^[%d:%t %^] "%r" %s %b "%R" "%u"} with
     * {@code %d/%b/%Y} and {@code %H:%M:%S}, as a regex: what log analysers read the size field as.
     */
    private static final Pattern GOACCESS_COMBINED = Pattern.compile(
            "^(?<host>\\S+) [^\\[]*\\[(?<date>\\d{2}/[A-Z][a-z]{2}/\\d{4}):(?<time>\\d{2}:\\d{2}:\\d{2}) [^\\]]*] "
                    + "\"(?<request>[^\"]*)\" (?<status>\\d{3}) (?<bytes>\\d+) \"(?<referer>[^\"]*)\" \"(?<agent>[^\"]*)\"$");

    @Test
    void whenFilesAreServedThenTheSizeFieldIsTheBodyAsNginxsBodyBytesSentAndAnalysersReadItSo(@TempDir Path work) throws Exception {
        int port = start();
        Files.write(site.resolve("file.txt"), "x".repeat(FILE_SIZE).getBytes(StandardCharsets.US_ASCII));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI file = URI.create("http://127.0.0.1:" + port + "/file.txt");

        HttpResponse<String> get = client.send(HttpRequest.newBuilder(file).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.body()).hasSize(FILE_SIZE);
        HttpResponse<Void> head = client.send(HttpRequest.newBuilder(file).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        HttpResponse<Void> notModified = client.send(HttpRequest.newBuilder(file).header("If-None-Match", get.headers().firstValue("ETag").orElseThrow())
                .build(), HttpResponse.BodyHandlers.discarding());
        assertThat(notModified.statusCode()).isEqualTo(304);
        HttpResponse<String> range = client.send(HttpRequest.newBuilder(file).header("Range", "bytes=0-99").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(range.statusCode()).isEqualTo(206);

        List<String> logged = awaitLines(4);
        List<Long> sizes = logged.stream().map(line -> {
            Matcher matcher = GOACCESS_COMBINED.matcher(line);
            assertThat(matcher.matches()).as(line).isTrue();
            return Long.parseLong(matcher.group("bytes"));
        }).toList();
        assertThat(sizes).containsExactly((long) FILE_SIZE, 0L, 0L, 100L);
        assertThat(logged.get(1)).contains("\"HEAD /file.txt HTTP/1.1\" 200 0 ");
        assertThat(logged.get(2)).contains("\" 304 0 ");

        // And GoAccess itself, where it is installed (.ci/run installs it): its bandwidth is the bodies' bytes.
        assumeThat(Executables.find("goaccess") != null).as("goaccess on the PATH").isTrue();
        Path log = Files.write(work.resolve("access.log"), logged);
        Path report = work.resolve("report.json");
        Process process = new ProcessBuilder("goaccess", log.toString(), "--log-format=COMBINED", "--no-global-config", "-o", report.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("goaccess.out").toFile()).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(work.resolve("goaccess.out"))).isZero();
        JsonNode general = JsonMapper.shared().readTree(report.toFile()).get("general");
        assertThat(general.get("valid_requests").asInt()).isEqualTo(4);
        assertThat(general.get("failed_requests").asInt()).isZero();
        assertThat(general.get("bandwidth").asLong()).isEqualTo(FILE_SIZE + 100);
    }

    @Test
    void whenJsonThenBodyBytesAndBytesWithTheHeadAsNginxNamesThem() throws Exception {
        int port = start("--pier.access-log.format=json");
        Files.write(site.resolve("file.txt"), "x".repeat(FILE_SIZE).getBytes(StandardCharsets.US_ASCII));

        byte[] response;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write("GET /file.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            response = socket.getInputStream().readAllBytes();
        }

        JsonNode line = JsonMapper.shared().readTree(awaitLines(1).get(0));
        assertThat(line.get("body_bytes_sent").asLong()).isEqualTo(FILE_SIZE);
        assertThat(line.get("bytes_sent").asLong()).isEqualTo(response.length).isGreaterThan(FILE_SIZE);
    }

    @Test
    void whenProbesAreCalledThenTheyAreCountedButNotLogged() throws Exception {
        int port = start();

        for (String probe : List.of("/livez", "/readyz", "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            assertThat(RawHttp.get(port, probe).status()).as(probe).isEqualTo(200);
        }
        RawHttp.get(port, "/index.html");

        List<String> logged = awaitLines(1);
        assertThat(logged.get(0)).contains("GET /index.html ");
        // The writer has taken everything queued before the line above, probes included: none was there.
        assertThat(lines.list).hasSize(1);
        assertThat(context.getBean(MeterRegistry.class).get("http.server.requests").tag("uri", "/actuator/health/{*path}").timer().count())
                .isEqualTo(2);
    }

    @Test
    void whenExclusionsAreSetEmptyThenProbesAreLoggedToo() throws Exception {
        int port = start("--pier.access-log.exclude=");

        RawHttp.get(port, "/livez");
        RawHttp.get(port, "/actuator/health/readiness");

        assertThat(awaitLines(2)).extracting(line -> line.replaceAll(".*\"GET (\\S+) .*", "$1")).containsExactly("/livez", "/actuator/health/readiness");
    }

    /** Starts the application on a free port; the test's appender joins once Boot has configured logging. */
    private int start(String... args) throws IOException {
        Files.writeString(site.resolve("index.html"), "<h1>home</h1>");
        String[] all = new String[args.length + 4];
        all[0] = "--server.port=0";
        all[1] = "--pier.document-root=" + site;
        all[2] = "--pier.event-loops=1";
        all[3] = "--pier.worker-threads=2";
        System.arraycopy(args, 0, all, 4, args.length);
        context = new SpringApplicationBuilder(PierApplication.class).run(all);
        lines = new ListAppender<>();
        lines.start();
        accessLogger().addAppender(lines);
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private List<String> awaitLines(int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.size() >= count);
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static Logger accessLogger() {
        return (Logger) LoggerFactory.getLogger(AccessLog.LOGGER_NAME);
    }
}
