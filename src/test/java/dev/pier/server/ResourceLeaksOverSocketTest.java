package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that reset, half-close or vanish in the middle of a download, and clients that send
 * garbage, must cost nothing once they are gone: the test counts this process's open file
 * descriptors (the server runs in it) before and after a thousand of each, and expects no more
 * after, with no file of the document root left open. No tolerance upward: a warm-up round first
 * opens whatever the JVM opens once (jars, classes), so any descriptor more is a leak. Fewer is
 * possible: other tests' HTTP clients in this JVM may close their selectors meanwhile.
 */
@Timeout(120)
class ResourceLeaksOverSocketTest {

    private static final int LARGE = 8 * 1024 * 1024;
    private static final int ABORTED_DOWNLOADS = 1000;
    private static final int MALFORMED_REQUESTS = 1000;
    private static final int CLIENT_THREADS = 8;
    private static final List<String> MALFORMED = List.of(
            "GARBAGE\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET /a b HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "GET / HTTP/1.1\r\nX-A : 1\r\n\r\n",
            "GET / HTTP/9.9\r\nHost: localhost\r\n\r\n",
            "GET /" + "x".repeat(9000) + " HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999\r\n\r\n");

    @TempDir
    Path root;

    private RunningServer server;
    private ExecutorService clients;

    @BeforeEach
    void startServer() throws IOException {
        assumeTrue(Files.isDirectory(OpenDescriptors.FDS), "needs Linux's /proc/self/fd to count open file descriptors");
        byte[] large = new byte[LARGE];
        new Random(11).nextBytes(large);
        Files.write(root.resolve("large.bin"), large);
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        server = RunningServer.start(root);
        clients = Executors.newFixedThreadPool(CLIENT_THREADS);
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        clients.shutdownNow();
        assertThat(clients.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        server.close();
    }

    @Test
    void whenAThousandDownloadsAreAbortedAndAThousandRequestsAreMalformedThenNoDescriptorIsLeft() throws Exception {
        // Warm-up: every path once, so what the JVM opens for good is open before the baseline.
        runClients(3 * CLIENT_THREADS, 3 * CLIENT_THREADS);
        long baseline = OpenDescriptors.settledCount(server.stats());
        long abortsBefore = server.stats().clientAborts();

        runClients(ABORTED_DOWNLOADS, MALFORMED_REQUESTS);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> server.stats().activeConnections() == 0 && OpenDescriptors.list().size() <= baseline);
        System.out.printf("Open file descriptors: %d before, %d after %d aborted downloads and %d malformed requests; %s%n",
                baseline, OpenDescriptors.list().size(), ABORTED_DOWNLOADS, MALFORMED_REQUESTS, server.stats());
        assertThat(OpenDescriptors.list()).hasSizeLessThanOrEqualTo((int) baseline);
        assertThat(OpenDescriptors.servedBeyondCache(root, "large.bin")).isEmpty();
        assertThat(server.stats().clientAborts() - abortsBefore).isPositive();
        assertThat(server.stats().unexpectedFailures()).isZero();
        assertThat(server.stats().rejectedByStatus().values().stream().mapToLong(Long::longValue).sum())
                .isGreaterThanOrEqualTo(MALFORMED_REQUESTS);
        try (RawClient client = server.connect()) {
            assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
        }
    }

    private void runClients(int downloads, int malformed) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < Math.max(downloads, malformed); i++) {
            int id = i;
            if (i < downloads) {
                done.add(clients.submit(() -> abortDownload(id)));
            }
            if (i < malformed) {
                done.add(clients.submit(() -> sendMalformed(id)));
            }
        }
        for (Future<?> future : done) {
            future.get(60, TimeUnit.SECONDS);
        }
    }

    /** Asks for the large file, reads a little of it, then leaves one of three ways. */
    private Void abortDownload(int id) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(16 * 1024);
        socket.setSoTimeout(RawClient.READ_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        try (socket) {
            socket.getOutputStream().write(RawClient.get("/large.bin").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] some = new byte[1 + id % 8192];
            in.readNBytes(some, 0, some.length);
            switch (id % 3) {
                // A reset: SO_LINGER 0 makes close send RST.
                case 0 -> socket.setSoLinger(true, 0);
                // Half-close first; close with unread data then resets anyway.
                case 1 -> socket.shutdownOutput();
                // Plain close with the response half read: the kernel resets.
                default -> { }
            }
        }
        return null;
    }

    private Void sendMalformed(int id) throws IOException {
        try (RawClient client = server.connect()) {
            client.send(MALFORMED.get(id % MALFORMED.size()));
            assertThat(client.read().status()).isBetween(400, 505);
        }
        return null;
    }
}
