package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's clocks with short settings: a slow request head or body gets 408, an idle
 * connection or one that stops reading its response is closed, and a handler that takes its time
 * is waited for.
 */
@Timeout(20)
class TimeoutsOverSocketTest {

    private static final Duration HEADER = Duration.ofMillis(300);
    private static final Duration KEEP_ALIVE = Duration.ofMillis(500);
    private static final Duration BODY = Duration.ofMillis(300);
    private static final Duration SEND = Duration.ofMillis(500);
    private static final int LARGE = 16 * 1024 * 1024;
    /** Well past every timeout, well within a read's patience. */
    private static final Duration BOUND = Duration.ofSeconds(3);

    @TempDir
    Path root;

    private final CountDownLatch neverReleased = new CountDownLatch(1);
    private RunningServer server;

    @BeforeEach
    void startServer() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        ServerSettings settings = ServerSettings.defaults(0).withTimeouts(new ServerSettings.Timeouts(HEADER, KEEP_ALIVE, BODY, SEND))
                // Requests in a tight loop for a few keep-alive periods could pass the default per-connection limit.
                .withConnections(new ServerSettings.Connections(10_000, Integer.MAX_VALUE));
        server = RunningServer.start(settings, root, new Unhurried());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void whenHalfARequestHeadThenRequestTimeoutAndClosed() throws IOException {
        try (RawClient client = server.connect()) {
            long start = System.nanoTime();
            client.send("GET /index.html HTTP/1.1\r\nHost: loc");

            RawResponse response = assertTimeoutPreemptively(BOUND, client::read);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(HEADER.minusMillis(50));
            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 408 Request Timeout");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenHeadTricklesInThenRequestTimeoutAfterHeaderTimeoutFromItsFirstByte() throws Exception {
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (RawClient client = server.connect()) {
            client.send("GET /index.html HTTP/1.1\r\nX-Slow: ");
            // One byte every 20 ms: each read alone is prompt, the head as a whole is not.
            AtomicInteger sent = new AtomicInteger();
            trickle.scheduleAtFixedRate(() -> {
                try {
                    client.send("a");
                    sent.incrementAndGet();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, 0, 20, TimeUnit.MILLISECONDS);

            RawResponse response = assertTimeoutPreemptively(BOUND, client::read);
            assertThat(response.status()).isEqualTo(408);
            assertThat(sent.get()).isLessThan(1000);
        } finally {
            trickle.shutdownNow();
            assertThat(trickle.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void whenBodyStopsHalfwayThenRequestTimeoutAndClosed() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /index.html HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nabc");

            RawResponse response = assertTimeoutPreemptively(BOUND, client::read);
            assertThat(response.status()).isEqualTo(408);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenIdleAfterResponseThenServerClosesConnection() throws IOException {
        try (RawClient client = server.connect()) {
            assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
            long start = System.nanoTime();

            assertThat(assertTimeoutPreemptively(BOUND, client::isClosedByServer)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(KEEP_ALIVE.dividedBy(2));
        }
    }

    @Test
    void whenConnectedButSilentThenServerClosesConnection() throws IOException {
        try (RawClient client = server.connect()) {
            assertThat(assertTimeoutPreemptively(BOUND, client::isClosedByServer)).isTrue();
        }
    }

    @Test
    void whenRequestsKeepComingThenConnectionOutlivesTheKeepAliveTimeout() throws IOException {
        try (RawClient client = server.connect()) {
            long until = System.nanoTime() + KEEP_ALIVE.multipliedBy(3).toNanos();
            int answered = 0;
            while (System.nanoTime() < until) {
                assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
                answered++;
            }

            assertThat(answered).isGreaterThan(1);
        }
    }

    @Test
    void whenClientStopsReadingLongerThanSendTimeoutThenConnectionDropped() throws IOException {
        Files.write(root.resolve("large.bin"), new byte[LARGE]);
        try (RawClient client = RawClient.connectWithReceiveBuffer(server.port(), 32 * 1024)) {
            assertThat(client.send(RawClient.get("/large.bin")).readHead().status()).isEqualTo(200);

            // Reading would make progress, so watch by writing: once the server has closed, writes fail.
            await().atMost(BOUND).pollInterval(Duration.ofMillis(50)).until(() -> failsToSend(client));
            long received = 0;
            byte[] chunk = new byte[64 * 1024];
            try {
                int count;
                while ((count = client.readSome(chunk)) > 0) {
                    received += count;
                }
            } catch (SocketException reset) {
                // Closed over the bytes just written: the rest of the response is gone either way.
            }
            assertThat(received).isLessThan(LARGE);
        }
    }

    @Test
    void whenHandlerTakesLongerThanEveryTimeoutThenItsAnswerStillArrives() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(RawClient.get("/unhurried")).read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("took my time");
            assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
        }
    }

    private static boolean failsToSend(RawClient client) {
        try {
            client.send("x");
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** A blocking handler that takes longer than any of the connection's timeouts. */
    private final class Unhurried implements HttpHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/unhurried");
        }

        @Override
        public HttpResponse handle(HttpRequest request) throws InterruptedException {
            boolean released = neverReleased.await(KEEP_ALIVE.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
            return HttpResponse.status(200).body(released ? "released?" : "took my time").build();
        }
    }
}
