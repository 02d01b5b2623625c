package dev.pier.shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.server.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application as an operator runs it, {@code java -jar target/pier.jar}, stopped with
 * SIGTERM ({@link Process#destroy()} on Linux) while a client downloads a large file slowly. Runs
 * in Failsafe's {@code integration-test} phase, after {@code package} has built the jar; skipped
 * when Surefire picks it up.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GracefulShutdownIT {

    /** Set by Failsafe to the jar {@code package} just built. */
    private static final String JAR_PROPERTY = "pier.jar";
    private static final int FILE_SIZE = 64 * 1024 * 1024;
    private static final int CHUNK = 1024 * 1024;
    private static final Pattern SERVING = Pattern.compile("Pier serving .+ on http://\\S+:(\\d+)");
    /** 143 is 128 + SIGTERM: the JVM reports the signal once its shutdown hooks have run. */
    private static final List<Integer> CLEAN_EXIT = List.of(0, 143);

    @TempDir
    static Path documentRoot;

    private static Path jar;
    private static String expectedSha256;

    @TempDir
    Path logs;

    private Process process;
    private Path log;
    private final List<Socket> sockets = new ArrayList<>();

    /** 64 MiB of seeded pseudo-random bytes: no compression or caching anywhere can fake them. */
    @BeforeAll
    static void writeLargeFile() throws IOException, NoSuchAlgorithmException {
        String packaged = System.getProperty(JAR_PROPERTY);
        assumeTrue(packaged != null, "runs under Failsafe, after package has built the jar");
        jar = Path.of(packaged);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(42);
        byte[] chunk = new byte[CHUNK];
        try (OutputStream out = Files.newOutputStream(documentRoot.resolve("large.bin"))) {
            for (int written = 0; written < FILE_SIZE; written += CHUNK) {
                random.nextBytes(chunk);
                sha256.update(chunk);
                out.write(chunk);
            }
        }
        expectedSha256 = HexFormat.of().formatHex(sha256.digest());
        Files.writeString(documentRoot.resolve("index.html"), "<h1>large files</h1>");
    }

    @AfterEach
    void killProcess() throws InterruptedException, IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void whenSigtermArrivesDuringADownloadThenNewConnectionsAreRefusedAndTheDownloadCompletesAndTheProcessExits() throws Exception {
        int port = start();
        Download download = startDownload(port);

        long signalled = System.nanoTime();
        process.destroy();

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> assertRefused(port));
        assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(1));

        download.readRest();
        assertThat(download.received).isEqualTo(FILE_SIZE);
        assertThat(HexFormat.of().formatHex(download.sha256.digest())).isEqualTo(expectedSha256);
        // Draining, the server closes the connection once the response is out.
        assertThat(download.in.read()).isEqualTo(-1);

        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("the process exits by itself").isTrue();
        assertThat(process.exitValue()).isIn(CLEAN_EXIT);
        assertThat(output()).contains("Commencing graceful shutdown. Waiting for active requests to complete")
                .contains("Graceful shutdown complete")
                .doesNotContain("Graceful shutdown aborted");
    }

    @Test
    void whenAClientStopsReadingForeverThenTheShutdownPhaseTimeoutEndsTheProcess() throws Exception {
        int port = start("--spring.lifecycle.timeout-per-shutdown-phase=2s");
        // Reads the first MiB and never another byte; the socket stays open until the test ends.
        startDownload(port);

        long signalled = System.nanoTime();
        process.destroy();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the process exits by itself").isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - signalled);
        assertThat(took).isBetween(Duration.ofMillis(1800), Duration.ofSeconds(15));
        assertThat(process.exitValue()).isIn(CLEAN_EXIT);
        assertThat(output()).contains("Commencing graceful shutdown. Waiting for active requests to complete")
                .contains("Graceful shutdown aborted with 1 active connection(s)");
    }

    /**
     * Starts the jar on a free port and returns the port it logged. The output goes to a file:
     * {@link Process#destroy()} closes the process's pipes, and the shutdown's log lines come after it.
     */
    private int start(String... args) throws IOException {
        assertThat(jar).as("the packaged jar").isRegularFile();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--server.port=0", "--pier.document-root=" + documentRoot, "--spring.main.banner-mode=off"));
        command.addAll(List.of(args));
        log = logs.resolve("pier.log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AtomicInteger port = new AtomicInteger();
        await("Pier to log its port").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertThat(process.isAlive()).as("Pier is running; its output:%n%s", output()).isTrue();
            Matcher serving = SERVING.matcher(output());
            if (serving.find()) {
                port.set(Integer.parseInt(serving.group(1)));
            }
            return port.get() > 0;
        });
        return port.get();
    }

    private String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /**
     * Requests the large file with a 16 KiB receive window and reads its first MiB, so the server
     * is mid-transfer, blocked on a full socket, when the test signals the process.
     */
    private Download startDownload(int port) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.setReceiveBufferSize(16 * 1024);
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        socket.getOutputStream().write("GET /large.bin HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Download download = new Download(socket.getInputStream());
        String head = download.readHead();
        assertThat(head).startsWith("HTTP/1.1 200 ").containsIgnoringCase("Content-Length: " + FILE_SIZE);
        download.read(CHUNK);
        return download;
    }

    private static void assertRefused(int port) throws IOException {
        assertThat(RawClient.isListening(port)).as("something still accepts on port " + port).isFalse();
    }

    /** A response body read in pieces, counted and hashed as it arrives. */
    private static final class Download {

        final InputStream in;
        final MessageDigest sha256;
        final byte[] buffer = new byte[64 * 1024];
        long received;

        Download(InputStream in) throws IOException {
            this.in = in;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IOException(e);
            }
        }

        String readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("Connection closed inside the response head: " + head.toString(StandardCharsets.ISO_8859_1));
                }
                head.write(b);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        void read(long count) throws IOException {
            long target = Math.min(FILE_SIZE, received + count);
            while (received < target) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, target - received));
                if (n < 0) {
                    throw new IOException("Connection closed after " + received + " of " + FILE_SIZE + " bytes");
                }
                sha256.update(buffer, 0, n);
                received += n;
            }
        }

        void readRest() throws IOException {
            read(FILE_SIZE - received);
        }
    }
}
