package dev.pier.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.handler.HttpExchange;
import dev.pier.handler.ResponseStream;
import dev.pier.handler.StreamingHandler;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpRequest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A streamed upload and a streamed, chunked answer through TLS: the body read as it is decrypted,
 * the response encrypted as it is written, with the JDK's client on the other side.
 */
@Timeout(60)
class StreamingOverTlsTest {

    @TempDir
    Path root;

    /** HTTP/1.1 frames the streamed response in chunks, HTTP/2 in DATA frames: the body comes back whole either way. */
    @ParameterizedTest
    @EnumSource(value = java.net.http.HttpClient.Version.class)
    void whenABodyIsStreamedThroughTlsThenItComesBackWhole(java.net.http.HttpClient.Version version) throws Exception {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        byte[] body = new byte[6 * 1024 * 1024 + 5];
        new Random(3).nextBytes(body);
        try (TlsServer server = TlsServer.start(root, new Mirror())) {
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(server.uri("/mirror"))
                    .version(version)
                    .timeout(Duration.ofSeconds(30))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                    .build();

            HttpResponse<byte[]> response = server.httpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());

            assertThat(response.version()).isEqualTo(version);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Transfer-Encoding"))
                    .isEqualTo(version == java.net.http.HttpClient.Version.HTTP_1_1 ? java.util.Optional.of("chunked") : java.util.Optional.empty());
            assertThat(response.body()).isEqualTo(body);
            assertThat(server.get("/index.html").statusCode()).isEqualTo(200);
        }
    }

    /** Sends the body back as it reads it, on a worker, through the blocking streams. */
    private static final class Mirror implements StreamingHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/mirror");
        }

        @Override
        public void handle(HttpExchange exchange) throws Exception {
            ResponseStream response = exchange.stream(200, HttpHeaders.builder().add("Content-Type", "application/octet-stream").build());
            try (InputStream in = exchange.body().inputStream(); OutputStream out = response.outputStream()) {
                in.transferTo(out);
            }
        }
    }
}
