package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Requests sent back to back without waiting are answered one by one, in the order sent. */
@Timeout(20)
class PipeliningOverSocketTest {

    @TempDir
    Path root;

    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch slowRelease = new CountDownLatch(1);
    private byte[] large;
    private RunningServer server;

    @BeforeEach
    void startServer() throws IOException {
        Files.writeString(root.resolve("a.txt"), "first\n");
        Files.writeString(root.resolve("b.css"), "b { }\n");
        Files.writeString(root.resolve("c.json"), "{\"c\":3}\n");
        large = new byte[1024 * 1024 + 17];
        new Random(11).nextBytes(large);
        Files.write(root.resolve("large.bin"), large);
        server = RunningServer.start(root, new SlowHandler());
    }

    @AfterEach
    void stopServer() {
        slowRelease.countDown();
        server.close();
    }

    @Test
    void whenThreeGetsInOneWriteThenThreeResponsesInOrder() throws IOException {
        try (RawClient client = server.connect()) {
            client.send(RawClient.get("/a.txt") + RawClient.get("/b.css") + RawClient.get("/c.json"));

            RawResponse a = client.read();
            RawResponse b = client.read();
            RawResponse c = client.read();
            assertThat(a.bodyText()).isEqualTo("first\n");
            assertThat(b.header("Content-Type")).isEqualTo("text/css;charset=utf-8");
            assertThat(b.bodyText()).isEqualTo("b { }\n");
            assertThat(c.header("Content-Type")).isEqualTo("application/json;charset=utf-8");
            assertThat(c.bodyText()).isEqualTo("{\"c\":3}\n");
            assertThat(client.staysOpenFor(100)).isTrue();
        }
    }

    @Test
    void whenHundredsOfRequestsInOneWriteThenAllAnsweredInOrder() throws IOException {
        String[] files = {"/a.txt", "/b.css", "/c.json", "/missing"};
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            batch.append(RawClient.get(files[i % files.length] + "?n=" + i));
        }
        try (RawClient client = server.connect()) {
            client.send(batch.toString());

            for (int i = 0; i < 500; i++) {
                RawResponse response = client.read();
                switch (i % files.length) {
                    case 0 -> assertThat(response.bodyText()).as("response %d", i).isEqualTo("first\n");
                    case 1 -> assertThat(response.bodyText()).as("response %d", i).isEqualTo("b { }\n");
                    case 2 -> assertThat(response.bodyText()).as("response %d", i).isEqualTo("{\"c\":3}\n");
                    default -> assertThat(response.status()).as("response %d", i).isEqualTo(404);
                }
            }
            assertThat(client.staysOpenFor(100)).isTrue();
        }
    }

    @Test
    void whenBlockingHandlerAmongPipelinedFilesThenLaterFilesWaitForIt() throws Exception {
        try (RawClient client = server.connect()) {
            client.send(RawClient.get("/a.txt") + RawClient.get("/slow") + RawClient.get("/b.css") + RawClient.get("/c.json"));

            assertThat(client.read().bodyText()).isEqualTo("first\n");
            assertThat(slowEntered.await(5, TimeUnit.SECONDS)).isTrue();
            // While the worker holds the second request, nothing of the third may overtake it.
            assertThat(client.staysOpenFor(200)).isTrue();
            slowRelease.countDown();
            assertThat(client.read().bodyText()).isEqualTo("slow done");
            assertThat(client.read().bodyText()).isEqualTo("b { }\n");
            assertThat(client.read().bodyText()).isEqualTo("{\"c\":3}\n");
        }
    }

    @Test
    void whenLargeFileThenSmallOnePipelinedThenBothWholeInOrder() throws IOException {
        try (RawClient client = server.connect()) {
            client.send(RawClient.get("/large.bin") + RawClient.get("/a.txt") + RawClient.get("/large.bin"));

            assertThat(client.read().body()).isEqualTo(large);
            assertThat(client.read().bodyText()).isEqualTo("first\n");
            assertThat(client.read().body()).isEqualTo(large);
        }
    }

    @Test
    void whenHeadPipelinedBeforeGetThenGetFramedCorrectly() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("HEAD /large.bin HTTP/1.1\r\nHost: localhost\r\n\r\n" + RawClient.get("/a.txt"));

            RawResponse head = client.readHead();
            assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(large.length));
            assertThat(client.read().bodyText()).isEqualTo("first\n");
        }
    }

    @Test
    void whenPipelinedRequestsArriveByteByByteThenSameResponses() throws IOException {
        byte[] batch = (RawClient.get("/a.txt") + "POST /slow HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello"
                + RawClient.get("/c.json")).getBytes(StandardCharsets.US_ASCII);
        slowRelease.countDown();
        try (RawClient client = server.connect()) {
            for (byte b : batch) {
                client.send(new byte[] {b});
            }

            assertThat(client.read().bodyText()).isEqualTo("first\n");
            assertThat(client.read().bodyText()).isEqualTo("slow done, body hello");
            assertThat(client.read().bodyText()).isEqualTo("{\"c\":3}\n");
        }
    }

    /** A blocking handler that holds its worker until the test lets it go. */
    private final class SlowHandler implements HttpHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/slow");
        }

        @Override
        public HttpResponse handle(HttpRequest request) throws InterruptedException {
            slowEntered.countDown();
            if (!slowRelease.await(5, TimeUnit.SECONDS)) {
                return HttpResponse.status(500).body("never released").build();
            }
            String body = request.method() == HttpMethod.POST ? "slow done, body " + new String(request.body(), StandardCharsets.UTF_8) : "slow done";
            return HttpResponse.status(200).body(body).build();
        }
    }
}
