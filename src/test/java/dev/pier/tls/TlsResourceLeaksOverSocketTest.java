package dev.pier.tls;

import dev.pier.server.OpenDescriptors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.server.RawClient;
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
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS clients that leave in the middle of a download or of a handshake cost nothing once gone:
 * this process's open file descriptors (the server runs in it) are no more after than before, no
 * file of the document root is left open, and no connection is left counted.
 */
@Timeout(120)
class TlsResourceLeaksOverSocketTest {

    private static final int ROUNDS = 150;
    private static final int CLIENT_THREADS = 4;

    @TempDir
    Path root;

    @Test
    void whenTlsDownloadsAndHandshakesAreAbandonedThenNoDescriptorIsLeft() throws Exception {
        assumeTrue(Files.isDirectory(OpenDescriptors.FDS), "needs Linux's /proc/self/fd to count open file descriptors");
        byte[] large = new byte[4 * 1024 * 1024];
        new Random(5).nextBytes(large);
        Files.write(root.resolve("large.bin"), large);
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
        try (TlsServer server = TlsServer.start(root)) {
            run(clients, server, 2 * CLIENT_THREADS);
            long baseline = OpenDescriptors.settledCount(server.server().stats());

            run(clients, server, ROUNDS);

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> server.server().stats().activeConnections() == 0 && OpenDescriptors.list().size() <= baseline);
            // At most: other tests' HTTP clients in this JVM may close their selectors meanwhile, never open more.
            assertThat(OpenDescriptors.list()).hasSizeLessThanOrEqualTo((int) baseline);
            assertThat(OpenDescriptors.servedBeyondCache(root, "large.bin")).isEmpty();
            assertThat(server.server().stats().unexpectedFailures()).isZero();
            assertThat(server.get("/index.html").statusCode()).isEqualTo(200);
        } finally {
            clients.shutdownNow();
        }
    }

    private static void run(ExecutorService clients, TlsServer server, int rounds) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            int id = i;
            done.add(clients.submit(() -> abortDownload(server, id)));
            done.add(clients.submit(() -> abandonHandshake(server, id)));
        }
        for (Future<?> future : done) {
            future.get(60, TimeUnit.SECONDS);
        }
    }

    /** Asks for the large file over TLS, reads a little, then resets, closes the TLS way, or just closes. */
    private static Void abortDownload(TlsServer server, int id) throws IOException {
        Socket plain = new Socket();
        plain.setReceiveBufferSize(16 * 1024);
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5_000);
        try (SSLSocket socket = (SSLSocket) server.clientContext().getSocketFactory().createSocket(plain, "127.0.0.1", server.port(), true)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(RawClient.get("/large.bin").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            in.readNBytes(1 + id % 20_000);
            switch (id % 3) {
                case 0 -> plain.setSoLinger(true, 0);
                case 1 -> socket.shutdownOutput();
                default -> { }
            }
        }
        return null;
    }

    /** Leaves during the handshake: silent after a partial ClientHello, after a whole one, or with plain HTTP or a TLS 1.1 hello. */
    private static Void abandonHandshake(TlsServer server, int id) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(5_000);
            byte[] hello = TlsRefusalsOverSocketTest.tls11ClientHello();
            switch (id % 4) {
                case 0 -> socket.getOutputStream().write(hello, 0, hello.length / 2);
                case 1 -> {
                    socket.getOutputStream().write(hello);
                    socket.getInputStream().readAllBytes();
                }
                case 2 -> {
                    socket.getOutputStream().write(RawClient.get("/").getBytes(StandardCharsets.US_ASCII));
                    socket.getInputStream().readAllBytes();
                }
                default -> socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x03});
            }
        }
        return null;
    }
}
