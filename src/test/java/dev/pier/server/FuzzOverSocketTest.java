package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Random mutations of valid requests over real sockets: each case is one connection that sends
 * its bytes, half-closes and reads until the server closes. Whatever arrives must be HTTP/1.1
 * responses and never a 500; afterwards no loop has died, nothing failed unexpectedly and a plain
 * GET is still answered. Seeded: a failure names its seed and case, and
 * {@code -Dpier.fuzz.seed=S -Dpier.fuzz.cases=N} replays or widens the run.
 */
@Timeout(60)
class FuzzOverSocketTest {

    private static final long SEED = Long.getLong("pier.fuzz.seed", 0x5EED_F0CCL);
    private static final int CASES = Integer.getInteger("pier.fuzz.cases", 3000);
    private static final int CLIENT_THREADS = 4;

    private static final List<String> VALID = List.of(
            "GET /index.html HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nUser-Agent: fuzz\r\n\r\n",
            "GET /docs/?q=a%20b&x=1 HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "HEAD /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET http://localhost/index.html HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /index.html HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world",
            "POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-T: 1\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\nping",
            "GET /a.txt HTTP/1.1\r\nHost: localhost\r\n\r\nGET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    /** Bytes that matter to the grammar, chosen more often than chance would. */
    private static final byte[] SPECIAL = " \t\r\n:;,/?%#.-0123456789aAfF\0\u007f\"<>\\".getBytes(StandardCharsets.ISO_8859_1);
    private static final List<String> FIELDS = List.of(
            "Content-Length: 5\r\n", "Content-Length: -1\r\n", "Transfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip, chunked\r\n",
            "Expect: 100-continue\r\n", "Expect: fly\r\n", "Connection: close\r\n", "Host: other\r\n", " folded\r\n", "X: \u00ff\r\n");

    @TempDir
    Path root;

    private RunningServer server;
    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);

    @BeforeEach
    void startServer() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.writeString(root.resolve("a.txt"), "a\n");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>");
        server = RunningServer.start(root, new EchoBody());
    }

    @AfterEach
    void stopServer() {
        clients.shutdownNow();
        server.close();
    }

    @Test
    void whenThousandsOfMutatedRequestsArriveThenEveryAnswerIsWellFormedAndTheServerStillServes() throws Exception {
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            int index = i;
            outcomes.add(clients.submit(() -> runCase(index)));
        }
        List<String> failures = new ArrayList<>();
        for (Future<String> outcome : outcomes) {
            String failure = outcome.get(50, TimeUnit.SECONDS);
            if (failure != null) {
                failures.add(failure);
            }
        }

        assertThat(failures).as("cases of seed %d that got a bad answer", SEED).isEmpty();
        assertThat(server.stats().unexpectedFailures()).isZero();
        assertThat(server.stats().handlerFailures()).isZero();
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(RawClient.get("/index.html")).read();
            assertThat(response.bodyText()).isEqualTo("<h1>home</h1>");
        }
        System.out.printf("Fuzzed %d cases with seed %d: %s%n", CASES, SEED, server.stats());
    }

    /** One connection; returns a description of what went wrong, or null. */
    private String runCase(int index) throws IOException {
        Random random = new Random(SEED * 31 + index);
        byte[] request = mutate(VALID.get(random.nextInt(VALID.size())).getBytes(StandardCharsets.ISO_8859_1), random);
        String received;
        try (RawClient client = server.connect()) {
            client.send(request);
            client.shutdownOutput();
            received = readToEnd(client.socket().getInputStream());
        } catch (SocketException reset) {
            // Sending into a connection the server already closed after rejecting: not a bad answer.
            return null;
        }
        if (!received.isEmpty() && !received.startsWith("HTTP/1.1 ")) {
            return describe(index, request, "not a response: " + abbreviate(received));
        }
        if (received.contains("HTTP/1.1 500 ")) {
            return describe(index, request, "a 500: " + abbreviate(received));
        }
        return null;
    }

    private static byte[] mutate(byte[] valid, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = valid;
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int at = random.nextInt(bytes.length + 1);
            out.reset();
            switch (random.nextInt(7)) {
                case 0 -> { // replace a byte
                    out.write(bytes, 0, Math.min(at, bytes.length));
                    out.write(randomByte(random));
                    if (at < bytes.length) {
                        out.write(bytes, at + 1, bytes.length - at - 1);
                    }
                }
                case 1 -> { // insert a byte
                    out.write(bytes, 0, at);
                    out.write(randomByte(random));
                    out.write(bytes, at, bytes.length - at);
                }
                case 2 -> { // delete a run
                    int length = Math.min(bytes.length - at, 1 + random.nextInt(8));
                    out.write(bytes, 0, at);
                    out.write(bytes, at + length, bytes.length - at - length);
                }
                case 3 -> { // repeat a run
                    int length = Math.min(bytes.length - at, 1 + random.nextInt(16));
                    out.write(bytes, 0, at + length);
                    out.write(bytes, at, bytes.length - at);
                }
                case 4 -> // cut short
                    out.write(bytes, 0, at);
                case 5 -> { // a field of interest after the request line
                    int lineEnd = indexOf(bytes, (byte) '\n') + 1;
                    byte[] field = FIELDS.get(random.nextInt(FIELDS.size())).getBytes(StandardCharsets.ISO_8859_1);
                    out.write(bytes, 0, lineEnd);
                    out.write(field, 0, field.length);
                    out.write(bytes, lineEnd, bytes.length - lineEnd);
                }
                default -> { // flip one bit
                    out.write(bytes, 0, bytes.length);
                    if (bytes.length > 0) {
                        byte[] flipped = out.toByteArray();
                        flipped[Math.min(at, bytes.length - 1)] ^= (byte) (1 << random.nextInt(8));
                        out.reset();
                        out.write(flipped, 0, flipped.length);
                    }
                }
            }
            bytes = out.toByteArray();
        }
        return bytes;
    }

    private static int randomByte(Random random) {
        return random.nextBoolean() ? SPECIAL[random.nextInt(SPECIAL.length)] : random.nextInt(256);
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return bytes.length - 1;
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int count;
        while ((count = in.read(chunk)) >= 0) {
            all.write(chunk, 0, count);
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    private static String describe(int index, byte[] request, String problem) {
        return "case " + index + " " + abbreviate(new String(request, StandardCharsets.ISO_8859_1)) + ": " + problem;
    }

    private static String abbreviate(String text) {
        String shown = text.length() > 300 ? text.substring(0, 300) + "..." : text;
        return shown.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }
}
