package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Persistent connections (RFC 9112 §9.3) and clients that half-close after their request. */
@Timeout(20)
class KeepAliveOverSocketTest {

    @TempDir
    Path root;

    private final CountDownLatch heldEntered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private byte[] large;
    private RunningServer server;

    @BeforeEach
    void startServer() throws IOException {
        Files.writeString(root.resolve("a.txt"), "first\n");
        Files.writeString(root.resolve("b.txt"), "second\n");
        Files.writeString(root.resolve("c.txt"), "third\n");
        large = new byte[4 * 1024 * 1024];
        new Random(7).nextBytes(large);
        Files.write(root.resolve("large.bin"), large);
        server = RunningServer.start(root, new BlockingHello(), new Held());
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.close();
    }

    @Test
    void whenHttp11RequestsOnOneSocketThenEachAnsweredAndConnectionKept() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse a = client.send(RawClient.get("/a.txt")).read();
            RawResponse b = client.send(RawClient.get("/b.txt")).read();
            RawResponse c = client.send(RawClient.get("/c.txt")).read();

            assertThat(a.bodyText()).isEqualTo("first\n");
            assertThat(b.bodyText()).isEqualTo("second\n");
            assertThat(c.bodyText()).isEqualTo("third\n");
            assertThat(a.header("Connection")).isNull();
            assertThat(c.header("Connection")).isNull();
            assertThat(client.staysOpenFor(100)).isTrue();
        }
    }

    @Test
    void whenConnectionCloseThenAnsweredWithCloseAndClosed() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET /a.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").read();

            assertThat(response.bodyText()).isEqualTo("first\n");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenClientAskedToCloseAndSentNothingMoreThenClosedWithoutWaitingForTheClientToClose() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET /a.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").read();
            assertThat(response.bodyText()).isEqualTo("first\n");
            assertThat(client.isClosedByServer()).isTrue();

            // The client keeps its side open: a lingering server would hold the connection for 2 s.
            await().atMost(Duration.ofMillis(1500)).until(() -> server.stats().activeConnections() == 0);
        }
    }

    @Test
    void whenRequestsPipelinedAfterConnectionCloseThenOnlyFirstAnsweredAndClosed() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("GET /a.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" + RawClient.get("/b.txt") + RawClient.get("/c.txt"));

            RawResponse response = client.read();
            assertThat(response.bodyText()).isEqualTo("first\n");
            assertThat(response.header("Connection")).isEqualTo("close");
            // End of stream, not a reset: the unread requests must not destroy the response.
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenClientSendsMoreWhileClosingResponseIsPreparedThenResponseNotDestroyedByReset() throws Exception {
        try (RawClient client = server.connect()) {
            client.send("GET /held HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(heldEntered.await(5, TimeUnit.SECONDS)).isTrue();
            // Arrives while the worker holds the request, so it waits unread in the server's socket.
            client.send(RawClient.get("/b.txt"));
            release.countDown();

            RawResponse response = client.read();
            assertThat(response.bodyText()).isEqualTo("held");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenClientSendsMoreDuringLargeClosingResponseThenResponseArrivesWhole() throws IOException {
        try (RawClient client = RawClient.connectWithReceiveBuffer(server.port(), 32 * 1024)) {
            client.send("GET /large.bin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            RawResponse head = client.readHead();
            assertThat(head.header("Connection")).isEqualTo("close");
            // Sent while the server is still writing, so it stays unread in the server's socket.
            client.send(RawClient.get("/b.txt"));

            assertThat(client.readExactly(large.length)).isEqualTo(large);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenServerStopsThenIdleConnectionsClosed() throws IOException {
        try (RawClient client = server.connect()) {
            assertThat(client.send(RawClient.get("/a.txt")).read().status()).isEqualTo(200);

            server.close();

            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenConnectionCloseToBlockingHandlerThenAnsweredWithCloseAndClosed() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: Keep-Alive, Close\r\n\r\n").read();

            assertThat(response.bodyText()).isEqualTo("hello");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenHttp10WithoutKeepAliveThenClosedAfterResponse() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET /a.txt HTTP/1.0\r\n\r\n").read();

            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(response.bodyText()).isEqualTo("first\n");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenHttp10WithKeepAliveThenSaysKeepAliveAndStaysOpen() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse first = client.send("GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            RawResponse second = client.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();

            assertThat(first.header("Connection")).isEqualTo("keep-alive");
            assertThat(first.bodyText()).isEqualTo("first\n");
            assertThat(second.header("Connection")).isEqualTo("keep-alive");
            assertThat(second.bodyText()).isEqualTo("hello");
            assertThat(client.staysOpenFor(100)).isTrue();
            RawResponse last = client.send("GET /b.txt HTTP/1.0\r\n\r\n").read();
            assertThat(last.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenClientHalfClosesAfterRequestThenStillGetsWholeResponse() throws IOException {
        try (RawClient client = server.connect()) {
            client.send(RawClient.get("/a.txt")).shutdownOutput();

            assertThat(client.read().bodyText()).isEqualTo("first\n");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenClientHalfClosesAfterRequestForLargeFileThenStillGetsAllOfIt() throws IOException {
        try (RawClient client = server.connect()) {
            client.send(RawClient.get("/large.bin")).shutdownOutput();

            RawResponse response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(large);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenClientHalfClosesAfterRequestToBlockingHandlerThenStillGetsResponse() throws IOException {
        try (RawClient client = server.connect()) {
            client.send(RawClient.get("/hello")).shutdownOutput();

            assertThat(client.read().bodyText()).isEqualTo("hello");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenClientHalfClosesAfterPipelinedRequestsThenAllAnswered() throws IOException {
        try (RawClient client = server.connect()) {
            client.send(RawClient.get("/a.txt") + RawClient.get("/hello") + RawClient.get("/c.txt")).shutdownOutput();

            assertThat(client.read().bodyText()).isEqualTo("first\n");
            assertThat(client.read().bodyText()).isEqualTo("hello");
            assertThat(client.read().bodyText()).isEqualTo("third\n");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    /** Runs on the worker pool, as every handler does unless it says otherwise. */
    private static final class BlockingHello implements HttpHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.method() == HttpMethod.GET && request.path().equals("/hello");
        }

        @Override
        public HttpResponse handle(HttpRequest request) {
            return HttpResponse.status(200).body("hello").build();
        }
    }

    /** Holds its worker until the test releases it. */
    private final class Held implements HttpHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/held");
        }

        @Override
        public HttpResponse handle(HttpRequest request) throws InterruptedException {
            heldEntered.countDown();
            release.await(5, TimeUnit.SECONDS);
            return HttpResponse.status(200).body("held").build();
        }
    }
}
