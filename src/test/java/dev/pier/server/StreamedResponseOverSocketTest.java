package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.handler.HttpExchange;
import dev.pier.handler.ResponseStream;
import dev.pier.handler.StreamingHandler;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Responses streamed by handlers over real sockets: chunked with trailers, close-delimited for
 * HTTP/1.0, a declared length, HEAD; a slow client holding a fast handler back; a client that
 * leaves mid-stream; answers given later, or never (503 after the response timeout).
 */
@Timeout(60)
class StreamedResponseOverSocketTest {

    private static final long LARGE = 256L * 1024 * 1024;

    @TempDir
    Path root;

    private final AtomicLong produced = new AtomicLong();
    private final AtomicInteger aborts = new AtomicInteger();
    private final AtomicReference<Throwable> failedWrite = new AtomicReference<>();
    private final CountDownLatch later = new CountDownLatch(1);
    private RunningServer server;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        ServerSettings settings = RunningServer.settings().withTimeouts(new ServerSettings.Timeouts(
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMillis(300)));
        server = RunningServer.start(settings, root, new Lines(), new Large(), new Later(), new Never(), new Sized());
    }

    @AfterEach
    void stop() {
        later.countDown();
        server.close();
    }

    @Test
    void whenTheLengthIsUnknownThenChunksWithTrailersAndTheConnectionServesOn() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(RawClient.get("/lines?n=3")).read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(response.header("Content-Length")).isNull();
            assertThat(response.bodyText()).isEqualTo("line 1\nline 2\nline 3\n");
            assertThat(response.header("X-Lines")).as("trailer").isEqualTo("3");
            assertThat(client.send(RawClient.get("/index.html")).read().bodyText()).isEqualTo("<h1>home</h1>");
        }
    }

    @Test
    void whenTheClientSpeaksHttp10ThenTheBodyEndsWithTheConnection() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET /lines?n=2 HTTP/1.0\r\n\r\n").read();

            assertThat(response.header("Transfer-Encoding")).isNull();
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(response.bodyText()).isEqualTo("line 1\nline 2\n");
        }
    }

    @Test
    void whenHeadThenTheHeadAloneSayingHowGetWouldFrameIt() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("HEAD /lines?n=2 HTTP/1.1\r\nHost: localhost\r\n\r\n").readHead();

            assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(client.send(RawClient.get("/index.html")).read().bodyText()).isEqualTo("<h1>home</h1>");
        }
    }

    @Test
    void whenTheHandlerDeclaresTheLengthThenExactlyThoseBytesWithContentLength() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(RawClient.get("/sized")).read();

            assertThat(response.header("Content-Length")).isEqualTo("10");
            assertThat(response.header("Transfer-Encoding")).isNull();
            assertThat(response.bodyText()).isEqualTo("0123456789");
            assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void whenTheClientReadsSlowlyThenTheHandlerIsHeldBackAndEveryByteArrives() throws Exception {
        try (RawClient client = RawClient.connectWithReceiveBuffer(server.port(), 64 * 1024)) {
            client.send(RawClient.get("/large"));
            InputStream in = client.socket().getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            // Read a little, then stop: the handler must stop too, short of the whole body.
            while (read < 4 * 1024 * 1024) {
                read += Math.max(0, in.read(buffer));
            }
            long readSoFar = read;
            long[] last = {-1};
            await().pollInterval(Duration.ofMillis(250)).atMost(Duration.ofSeconds(20)).until(() -> {
                long now = produced.get();
                boolean settled = now == last[0];
                last[0] = now;
                return settled;
            });
            assertThat(last[0] - readSoFar).as("bytes produced but not read").isLessThan(ResponseStream.BUFFERED + 64L * 1024 * 1024);
            assertThat(last[0]).as("the handler was held back").isLessThan(LARGE);

            for (int n; (n = in.read(buffer)) > 0; ) {
                read += n;
                if (read > LARGE) {
                    break;
                }
            }
            // The head and the chunk framing come on top of the body's bytes.
            assertThat(read).isGreaterThan(LARGE).isLessThan(LARGE + 64 * 1024);
        }
    }

    @Test
    void whenTheClientLeavesMidStreamThenTheHandlersWritesFailItHearsTheAbortAndTheConnectionIsFreed() throws Exception {
        long descriptors = OpenDescriptors.settledCount(server.stats());
        long heap = HeapAfterCollection.used();
        for (int i = 0; i < 1000; i++) {
            RawClient.resetAfterFirstBytes(server.port(), "/large");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> aborts.get() == 1000);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().activeConnections() == 0 && server.stats().requestsInFlight() == 0);
        assertThat(failedWrite.get()).isInstanceOf(IOException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> OpenDescriptors.list().size() <= descriptors);
        // Each stream held up to 64 KiB queued for its client: a thousand kept would be 64 MiB.
        assertThat(HeapAfterCollection.used()).isLessThan(heap + HeapAfterCollection.MARGIN);
    }

    @Test
    void whenTheHandlerAnswersLaterFromAnotherThreadThenTheClientGetsIt() throws Exception {
        try (RawClient client = server.connect()) {
            client.send(RawClient.get("/later"));
            assertThat(client.staysOpenFor(100)).isTrue();
            later.countDown();

            assertThat(client.read().bodyText()).isEqualTo("worth the wait");
            assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void whenTheHandlerNeverAnswersThenServiceUnavailableAfterTheResponseTimeoutAndClosed() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(RawClient.get("/never")).read();

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
        assertThat(server.stats().timeouts(ServerStats.TimeoutKind.RESPONSE)).isEqualTo(1);
    }

    private static HttpHeaders text() {
        return HttpHeaders.builder().add("Content-Type", "text/plain").build();
    }

    /** {@code n} lines, one write each, then a trailer; on a worker, through the OutputStream. */
    private static final class Lines implements StreamingHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/lines");
        }

        @Override
        public void handle(HttpExchange exchange) throws Exception {
            int n = Integer.parseInt(exchange.request().queryParameters().get("n").get(0));
            ResponseStream response = exchange.stream(200, text());
            OutputStream out = response.outputStream();
            for (int i = 1; i <= n; i++) {
                out.write(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            response.end(HttpHeaders.builder().add("X-Lines", Integer.toString(n)).build()).get(5, TimeUnit.SECONDS);
        }
    }

    /** 256 MiB in 64 KiB writes, each after the previous one's future: on the loop, no thread held. */
    private final class Large implements StreamingHandler {

        private final ByteBuffer block = ByteBuffer.wrap(new byte[64 * 1024]).asReadOnlyBuffer();

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/large");
        }

        @Override
        public boolean isBlocking() {
            return false;
        }

        @Override
        public void handle(HttpExchange exchange) {
            exchange.onAbort(cause -> aborts.incrementAndGet());
            ResponseStream response = exchange.stream(200, HttpHeaders.builder().add("Content-Type", "application/octet-stream").build());
            write(response, 0);
        }

        private void write(ResponseStream response, long sent) {
            if (sent >= LARGE) {
                response.end();
                return;
            }
            produced.addAndGet(block.capacity());
            CompletableFuture<Void> written = response.write(block.duplicate());
            written.whenComplete((ignored, failure) -> {
                if (failure != null) {
                    failedWrite.set(failure);
                } else {
                    write(response, sent + block.capacity());
                }
            });
        }
    }

    /** Returns at once; answers from another thread once the test says so. */
    private final class Later implements StreamingHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/later");
        }

        @Override
        public boolean isBlocking() {
            return false;
        }

        @Override
        public void handle(HttpExchange exchange) {
            CompletableFuture.runAsync(() -> {
                try {
                    later.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.respond(HttpResponse.status(200).body("worth the wait").build());
            });
        }
    }

    /** Returns without ever answering. */
    private static final class Never implements StreamingHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/never");
        }

        @Override
        public boolean isBlocking() {
            return false;
        }

        @Override
        public void handle(HttpExchange exchange) {
        }
    }

    /** Declares 10 bytes and writes them in two parts. */
    private static final class Sized implements StreamingHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/sized");
        }

        @Override
        public boolean isBlocking() {
            return false;
        }

        @Override
        public void handle(HttpExchange exchange) {
            ResponseStream response = exchange.stream(200, HttpHeaders.builder().add("Content-Length", "10").build());
            response.write(ByteBuffer.wrap("01234".getBytes(StandardCharsets.US_ASCII)));
            response.write(ByteBuffer.wrap("56789".getBytes(StandardCharsets.US_ASCII)));
            response.end();
        }
    }
}
