package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.http.ParserLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server runs out of file descriptors: {@code accept} fails with EMFILE, the acceptor pauses
 * and retries instead of spinning or dying, and the connections that waited in the backlog are
 * served once descriptors free up. Rather than exhaust a real limit of thousands, the test lowers
 * this JVM's own soft limit with {@code prlimit} to a few above what is open, and restores it.
 */
@Timeout(30)
class OutOfFileDescriptorsOverSocketTest {

    private static final Path FDS = Path.of("/proc/self/fd");
    private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");
    private static final int CLIENTS = 24;
    /** Descriptors left free under the lowered limit: the server accepts about this many, then fails. */
    private static final int HEADROOM = 6;

    @TempDir
    Path root;

    @Test
    void whenAcceptRunsOutOfFileDescriptorsThenItPausesAndLaterServesTheWaitingConnections() throws Exception {
        assumeTrue(Files.isDirectory(FDS) && Files.isExecutable(PRLIMIT), "needs Linux's /proc/self/fd and prlimit(1)");
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        ServerSettings oneLoop = new ServerSettings(null, 0, 128, 1, 2, 16, ParserLimits.DEFAULTS, RunningServer.RELAXED,
                ServerSettings.Connections.DEFAULTS, "Pier", null);
        long[] limit = openFilesLimit();
        List<SocketChannel> clients = new ArrayList<>();
        try (RunningServer server = RunningServer.start(oneLoop, root)) {
            try (RawClient warmUp = server.connect()) {
                assertThat(warmUp.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
            }
            // Client sockets get their descriptors now; connecting them later needs none.
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(SocketChannel.open());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().activeConnections() == 0);

            // Started now, so that restoring the limit later needs no new descriptor: a line on its stdin runs it.
            Process restorer = prlimit("read line; exec " + PRLIMIT + " --pid " + ProcessHandle.current().pid() + " --nofile=" + limit[0] + ":" + limit[1]);
            try {
                run(prlimit(PRLIMIT + " --pid " + ProcessHandle.current().pid() + " --nofile=" + (openFileDescriptors() + HEADROOM) + ":" + limit[1]));
                for (SocketChannel client : clients) {
                    client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().acceptFailures() > 0);
                assertThat(server.stats().connectionsAccepted()).isLessThan(1 + CLIENTS);
                // Retrying after a pause, not spinning on a listener that stays ready.
                long failures = server.stats().acceptFailures();
                long start = System.nanoTime();
                await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().acceptFailures() >= failures + 3);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            } finally {
                restorer.getOutputStream().write('\n');
                restorer.getOutputStream().close();
                run(restorer);
            }
            assertThat(openFilesLimit()).containsExactly(limit);

            for (SocketChannel client : clients) {
                assertThat(exchange(client)).startsWith("HTTP/1.1 200 OK");
            }
            assertThat(server.stats().acceptFailures()).isPositive();
        } finally {
            for (SocketChannel client : clients) {
                client.close();
            }
        }
    }

    /** Sends a GET and reads the response head; the socket has the read timeout of blocking I/O, so a bounded wait. */
    private static String exchange(SocketChannel client) throws IOException {
        client.socket().setSoTimeout(RawClient.READ_TIMEOUT_MILLIS);
        client.write(ByteBuffer.wrap(RawClient.get("/index.html").getBytes(StandardCharsets.US_ASCII)));
        byte[] head = new byte[64];
        int count = client.socket().getInputStream().read(head);
        return count <= 0 ? "" : new String(head, 0, count, StandardCharsets.US_ASCII);
    }

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> open = Files.list(FDS)) {
            return open.count();
        }
    }

    /** This process's soft and hard limits on open files, from /proc/self/limits. */
    private static long[] openFilesLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
            }
        }
        throw new IllegalStateException("No open-files line in /proc/self/limits");
    }

    /** A shell running the command, its stdin a pipe to us and nothing else: no other descriptor of ours is used. */
    private static Process prlimit(String command) throws IOException {
        return new ProcessBuilder("/bin/sh", "-c", command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static void run(Process process) throws InterruptedException {
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("prlimit exit status").isZero();
    }
}
