package dev.pier.shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.Executables;
import dev.pier.PackagedJar;
import dev.pier.http2.ErrorCode;
import dev.pier.server.RawClient;
import dev.pier.test.H2Frame.Data;
import dev.pier.test.H2Frame.GoAway;
import dev.pier.test.H2Frame.Headers;
import dev.pier.test.H2Frame.Ping;
import dev.pier.test.H2Frame.RstStream;
import dev.pier.test.H2Peer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.stream.Stream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application as an operator runs it, {@code java -jar target/pier.jar}, stopped with
 * SIGTERM ({@link Process#destroy()} on Linux) while a client downloads a large file slowly, and
 * over HTTP/2 (h2c), where the drain is told by GOAWAY frames on each connection. Runs
 * in Failsafe's {@code integration-test} phase, after {@code package} has built the jar; skipped
 * when Surefire picks it up.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GracefulShutdownIT {

    private static final int FILE_SIZE = 64 * 1024 * 1024;
    private static final int CHUNK = 1024 * 1024;
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
        String packaged = System.getProperty(PackagedJar.PROPERTY);
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
     * HTTP/2's graceful shutdown as a client sees it on the wire (H2Peer, h2c by prior knowledge):
     * a stream mid-response, held by flow control, when SIGTERM arrives; GOAWAY with the largest
     * stream id and a PING; a stream the client opens before it answers the PING is still taken; the
     * answer brings the final GOAWAY naming that stream; one opened after it is not processed; both
     * taken streams end whole, then the connection closes and the process exits.
     */
    @Test
    void whenSigtermArrivesDuringAnHttp2StreamThenTwoGoAwaysTheStreamsTakenCompleteALaterOneIsIgnoredAndTheProcessExits() throws Exception {
        int port = start("--spring.profiles.active=examples");
        int count = 1_000_000;
        try (H2Peer peer = H2Peer.connect(port)) {
            peer.autoWindowUpdate(false);
            peer.get(1, "/examples/numbers?count=" + count, "localhost");
            Headers head = peer.await(Headers.class, frame -> frame.streamId() == 1, Duration.ofSeconds(10));
            assertThat(head.status()).isEqualTo(200);
            ByteArrayOutputStream numbers = new ByteArrayOutputStream();
            // The default windows, 65,535 bytes, then the stream waits for a WINDOW_UPDATE that has not come.
            assertThat(readData(peer, 1, numbers, 65_535)).as("stream 1 ended early").isFalse();

            long signalled = System.nanoTime();
            process.destroy();

            GoAway first = peer.awaitGoAway(Duration.ofSeconds(5));
            assertThat(first.lastStreamId()).as("the first GOAWAY's last stream id").isEqualTo(Integer.MAX_VALUE);
            assertThat(first.error()).isEqualTo(ErrorCode.NO_ERROR);
            Ping ping = peer.await(Ping.class, frame -> !frame.ack(), Duration.ofSeconds(5));
            assertThat(peer.pending()).as("no final GOAWAY before the PING is answered").noneMatch(GoAway.class::isInstance);

            // Sent before the client answers the PING, as if it had not seen the GOAWAY yet: still taken.
            peer.get(3, "/index.html?stream=3", "localhost");
            peer.sendPing(ping.data(), true);
            GoAway last = peer.awaitGoAway(Duration.ofSeconds(5));
            assertThat(last.lastStreamId()).as("the final GOAWAY's last stream id").isEqualTo(3);
            assertThat(last.error()).isEqualTo(ErrorCode.NO_ERROR);

            // After the final GOAWAY: not processed.
            peer.get(5, "/index.html?stream=5", "localhost");
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> assertRefused(port));

            peer.sendWindowUpdate(0, 1 << 30).sendWindowUpdate(1, 1 << 30);
            assertThat(readData(peer, 1, numbers, Long.MAX_VALUE)).as("stream 1 ended").isTrue();
            assertThat(numbers.size()).as("the stream's length").isEqualTo(numbersLength(count));
            assertThat(sha256(numbers.toByteArray())).as("the whole stream, in order").isEqualTo(numbersSha256(count));
            H2Peer.Response three = peer.response(3, Duration.ofSeconds(10));
            assertThat(three.status()).isEqualTo(200);
            assertThat(three.bodyText()).isEqualTo("<h1>large files</h1>");

            assertThat(peer.awaitClose(Duration.ofSeconds(10))).as("Pier closes the connection once no stream is left").isTrue();
            assertThat(peer.pending()).as("nothing for stream 5").noneMatch(frame -> frame instanceof Headers headers && headers.streamId() == 5
                    || frame instanceof Data data && data.streamId() == 5 || frame instanceof RstStream reset && reset.streamId() == 5);

            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("the process exits by itself").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(20));
        }
        assertThat(process.exitValue()).isIn(CLEAN_EXIT);
        assertThat(output()).contains("Commencing graceful shutdown. Waiting for active requests to complete")
                .contains("Graceful shutdown complete")
                .doesNotContain("Graceful shutdown aborted")
                .containsPattern("\"GET /examples/numbers\\?count=" + count + " HTTP/2\\.0\" 200 ")
                .contains("\"GET /index.html?stream=3 HTTP/2.0\" 200 ")
                .doesNotContain("stream=5");
    }

    /**
     * The same with real clients: curl (h2c by prior knowledge, reading at 6 MB/s, far more than the
     * sockets' buffers still to come when the signal arrives) mid-download and
     * the JDK's client holding an idle upgraded connection. Both answer the PING by themselves; the
     * download completes whole, the idle connection closes at once, and the process exits without
     * waiting for the shutdown phase's timeout.
     */
    @Test
    void whenSigtermArrivesWhileCurlDownloadsOverH2cAndAnotherHttp2ConnectionIsIdleThenTheDownloadCompletesAndTheProcessExitsPromptly()
            throws Exception {
        String curl = Executables.find("curl");
        assumeTrue(curl != null, "curl is not installed");
        Process version = new ProcessBuilder(curl, "-V").redirectErrorStream(true).start();
        assumeTrue(new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .anyMatch(line -> line.startsWith("Features:") && line.contains(" HTTP2")), "this curl was built without HTTP/2");
        version.waitFor(10, TimeUnit.SECONDS);
        int port = start("--spring.profiles.active=examples");
        int count = 3_000_000;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> idle = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(idle.version()).isEqualTo(HttpClient.Version.HTTP_2);

        Path body = logs.resolve("numbers.txt");
        Process download = new ProcessBuilder(curl, "-sS", "--http2-prior-knowledge", "--limit-rate", "6M", "--max-time", "30", "-o",
                body.toString(), "-w", "%{http_version} %{http_code}", "http://127.0.0.1:" + port + "/examples/numbers?count=" + count)
                .redirectError(logs.resolve("curl.err").toFile()).redirectOutput(logs.resolve("curl.out").toFile()).start();
        try {
            await("curl to be part-way").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.exists(body) && Files.size(body) > 2 * 1024 * 1024);
            assertThat(download.isAlive()).as("curl still downloading").isTrue();

            long signalled = System.nanoTime();
            process.destroy();

            assertThat(download.waitFor(30, TimeUnit.SECONDS)).as("curl finished").isTrue();
            assertThat(download.exitValue()).as(Files.readString(logs.resolve("curl.err"))).isZero();
            assertThat(Files.readString(logs.resolve("curl.out"))).isEqualTo("2 200");
            assertThat(Files.size(body)).as("the download's length").isEqualTo(numbersLength(count));
            assertThat(sha256(Files.readAllBytes(body))).as("the whole download, in order").isEqualTo(numbersSha256(count));

            assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("the process exits by itself, the idle connection holding nothing").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(10));
        } finally {
            download.destroyForcibly();
        }
        assertThat(process.exitValue()).isIn(CLEAN_EXIT);
        assertThat(output()).contains("Graceful shutdown complete").doesNotContain("Graceful shutdown aborted");
    }

    /**
     * An HTTP/2 connection with no stream open whose client never answers the shutdown's PING
     * (a client that stopped reading, or one that ignores PINGs) still ends within a short bound,
     * as an idle HTTP/1.1 connection does at once: it has nothing left to finish.
     */
    @Test
    void whenAnIdleHttp2ClientNeverAnswersTheShutdownPingThenItsConnectionStillClosesAndTheProcessExitsPromptly() throws Exception {
        // A shutdown phase of 10s, so that the wait is bounded and its end tells the connection was cut, not closed.
        int port = start("--spring.lifecycle.timeout-per-shutdown-phase=10s");
        try (H2Peer peer = H2Peer.connect(port)) {
            peer.get(1, "/index.html", "localhost");
            assertThat(peer.response(1, Duration.ofSeconds(10)).status()).isEqualTo(200);

            long signalled = System.nanoTime();
            process.destroy();

            assertThat(peer.awaitGoAway(Duration.ofSeconds(5)).lastStreamId()).isEqualTo(Integer.MAX_VALUE);
            peer.await(Ping.class, frame -> !frame.ack(), Duration.ofSeconds(5));
            // Never answered.
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the process exits by itself").isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - signalled);
            assertThat(took).as("time from SIGTERM to exit, with an idle connection whose client never answered the PING")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(output()).contains("Graceful shutdown complete").doesNotContain("Graceful shutdown aborted");
        }
    }

    /** The length of the numbers example's body: the lines 1 to {@code count}. */
    private static long numbersLength(int count) {
        return LongStream.rangeClosed(1, count).map(i -> Long.toString(i).length() + 1).sum();
    }

    /** The SHA-256 of the numbers example's body, made here as the example makes it. */
    private static String numbersSha256(int count) throws NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (int i = 1; i <= count; i++) {
            digest.update((i + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Reads stream {@code streamId}'s DATA into {@code into} until it holds {@code until} bytes or the stream ends; whether it ended. */
    private static boolean readData(H2Peer peer, int streamId, ByteArrayOutputStream into, long until) {
        while (into.size() < until) {
            Data data = peer.await(Data.class, frame -> frame.streamId() == streamId, Duration.ofSeconds(10));
            into.writeBytes(data.data());
            if (data.endStream()) {
                return true;
            }
        }
        return false;
    }

    /** Starts the jar on a free port over the large file's folder and returns the port it logged. */
    private int start(String... args) throws IOException {
        log = logs.resolve("pier.log");
        PackagedJar pier = PackagedJar.start(jar, log, List.of(), Stream.concat(Stream.of("--pier.document-root=" + documentRoot), Stream.of(args)).toList());
        process = pier.process();
        return pier.port();
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
