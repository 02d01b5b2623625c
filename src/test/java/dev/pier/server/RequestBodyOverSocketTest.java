package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http.ParserLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Request bodies framed by Content-Length or chunked coding, their limit, and 100-continue. */
@Timeout(20)
class RequestBodyOverSocketTest {

    private static final int BODY_LIMIT = 64 * 1024;

    @TempDir
    Path root;

    /** Uploads run here: the server may stop reading, and a blocked write has no timeout. */
    private final ExecutorService uploads = Executors.newSingleThreadExecutor();
    private RunningServer server;

    @BeforeEach
    void startServer() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        ServerSettings settings = RunningServer.settings()
                .withLimits(new ParserLimits(8192, 16384, 100, BODY_LIMIT));
        server = RunningServer.start(settings, root, new EchoBody());
    }

    @AfterEach
    void stopServer() {
        uploads.shutdownNow();
        server.close();
    }

    @Test
    void whenContentLengthBodyThenHandlerGetsIt() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 11\r\n\r\nhello world").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello world");
            assertThat(client.send(RawClient.get("/index.html")).read().bodyText()).isEqualTo("<h1>home</h1>");
        }
    }

    @Test
    void whenChunkedBodyThenHandlerGetsItDecoded() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n"
                    + "1;name=value\r\n \r\n"
                    + "A\r\nchunked!!!\r\n"
                    + "0\r\nX-Trailer: dropped\r\n\r\n");

            RawResponse response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello chunked!!!");
            assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void whenChunkedBodyArrivesInPiecesThenHandlerGetsItWhole() throws IOException {
        String request = "POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n";
        try (RawClient client = server.connect()) {
            for (int i = 0; i < request.length(); i += 3) {
                client.send(request.substring(i, Math.min(request.length(), i + 3)));
            }

            assertThat(client.read().bodyText()).isEqualTo("abcdefg");
        }
    }

    @Test
    void whenChunkSizeHasLeadingZerosThenTheyAreIgnored() throws IOException {
        // chunk-size = 1*HEXDIG: 37 digits meaning 78, as some public HTTP/1.1 test suites send.
        String data = "z".repeat(0x4e);
        try (RawClient client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "000000000000000000000000000000000004e\r\n" + data + "\r\n0000\r\n\r\n");

            RawResponse response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(data);
        }
    }

    @Test
    void whenChunkSizeOverflowsAfterLeadingZerosThenBadRequest() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0000000000010000000000000000\r\nx\r\n0\r\n\r\n");

            assertThat(client.read().status()).isEqualTo(400);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenBodyAtTheLimitThenAccepted() throws IOException {
        byte[] body = new byte[BODY_LIMIT];
        Arrays.fill(body, (byte) 'x');
        try (RawClient client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + BODY_LIMIT + "\r\n\r\n").send(body);

            assertThat(client.read().body()).isEqualTo(body);
        }
    }

    @Test
    void whenPostWithBodyToStaticFileThenMethodNotAllowedAndBodyNotTakenForARequest() throws IOException {
        // The body looks like a request: were it not consumed as a body, it would be answered as one.
        String smuggled = RawClient.get("/smuggled");
        try (RawClient client = server.connect()) {
            client.send("POST /index.html HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + smuggled.length() + "\r\n\r\n"
                    + smuggled + RawClient.get("/index.html"));

            RawResponse refused = client.read();
            RawResponse next = client.read();
            assertThat(refused.status()).isEqualTo(405);
            assertThat(refused.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo("<h1>home</h1>");
            assertThat(client.staysOpenFor(100)).isTrue();
        }
    }

    @Test
    void whenChunkedPostToStaticFileThenMethodNotAllowedAndNextRequestAnswered() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /index.html HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "10\r\nGET / HTTP/1.1\r\n\r\n0\r\n\r\n" + RawClient.get("/index.html"));

            assertThat(client.read().status()).isEqualTo(405);
            assertThat(client.read().bodyText()).isEqualTo("<h1>home</h1>");
        }
    }

    @Test
    void whenDeclaredBodyOverLimitThenContentTooLargeAndClosed() throws Exception {
        byte[] body = new byte[BODY_LIMIT * 4];
        try (RawClient client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length + "\r\n\r\n");
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> sendQuietly(client, body), uploads);

            RawResponse response = client.read();
            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 413 Content Too Large");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
            upload.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void whenChunkedBodyGrowsOverLimitThenContentTooLargeAndClosed() throws Exception {
        String chunk = Integer.toHexString(BODY_LIMIT / 2) + "\r\n" + "y".repeat(BODY_LIMIT / 2) + "\r\n";
        try (RawClient client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
            CompletableFuture<Void> upload = CompletableFuture.runAsync(
                    () -> sendQuietly(client, (chunk + chunk + chunk + "0\r\n\r\n").getBytes(StandardCharsets.US_ASCII)), uploads);

            RawResponse response = client.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
            upload.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void whenExpectContinueThenInterimContinueBeforeFinalResponse() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");

            RawResponse interim = client.read();
            assertThat(interim.statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(interim.headers()).isEmpty();
            client.send("ping");
            RawResponse response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("ping");
        }
    }

    @Test
    void whenExpectContinueWithChunkedBodyThenInterimContinueOnce() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n");

            assertThat(client.read().status()).isEqualTo(100);
            client.send("3\r\nabc\r\n");
            client.send("0\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("abc");
            // The next request on the connection gets no stray interim response.
            assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void whenExpectContinueWithBodyOverLimitThenContentTooLargeWithoutContinue() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + (BODY_LIMIT + 1) + "\r\nExpect: 100-continue\r\n\r\n");

            assertThat(client.read().status()).isEqualTo(413);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    private static void sendQuietly(RawClient client, byte[] bytes) {
        try {
            client.send(bytes);
        } catch (IOException e) {
            // The server may close before taking it all; the response is what the test checks.
        }
    }
}
