package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.handler.HttpExchange;
import dev.pier.handler.HttpHandler;
import dev.pier.handler.ResponseStream;
import dev.pier.handler.StreamingHandler;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.ParserLimits;
import dev.pier.http2.ErrorCode;
import dev.pier.test.H2Frame;
import dev.pier.test.H2Peer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exchanges HTTP/1.1 carries, carried by HTTP/2 streams over a real socket: whole request
 * bodies in many DATA frames, bodies beyond their limit, {@code 100-continue}, streaming handlers
 * with request and response trailers, HEAD, several streams answered at once.
 */
@Timeout(60)
class Http2ExchangesOverSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int BODY_LIMIT = 64 * 1024;

    @TempDir
    Path root;

    private RunningServer server;
    private H2Peer peer;
    private byte[] file;

    /** A whole-request handler on the loop: the body back. */
    private final HttpHandler echo = new HttpHandler() {
        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/echo");
        }

        @Override
        public HttpResponse handle(HttpRequest request) {
            return HttpResponse.status(200).header("Content-Type", "application/octet-stream").body(request.body()).build();
        }

        @Override
        public boolean isBlocking() {
            return false;
        }
    };

    /** A streaming handler on the loop: the body back in two writes, trailers naming its length and the client's trailer. */
    private final StreamingHandler mirror = new StreamingHandler() {
        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/mirror");
        }

        @Override
        public void handle(HttpExchange exchange) {
            exchange.body().readAll(1 << 20).whenComplete((body, failure) -> {
                if (failure != null) {
                    exchange.respond(HttpResponse.status(413).body("too large").build());
                    return;
                }
                ResponseStream out = exchange.stream(200, HttpHeaders.builder().add("Content-Type", "application/octet-stream").build());
                int half = body.length / 2;
                out.write(ByteBuffer.wrap(body, 0, half));
                out.write(ByteBuffer.wrap(body, half, body.length - half));
                String clientTrailer = exchange.body().trailers().first("x-client-sum");
                out.end(HttpHeaders.builder().add("X-Length", Integer.toString(body.length))
                        .add("X-Client-Sum", clientTrailer == null ? "none" : clientTrailer).build());
            });
        }

        @Override
        public boolean isBlocking() {
            return false;
        }
    };

    /** A blocking streaming handler that counts its body through the InputStream, within 100,000 bytes. */
    private final StreamingHandler counter = new StreamingHandler() {
        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/count");
        }

        @Override
        public long bodyLimit(HttpRequest head) {
            return 100_000;
        }

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            long count = 0;
            try (InputStream in = exchange.body().inputStream()) {
                byte[] buffer = new byte[8192];
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    count += read;
                }
            }
            exchange.respond(HttpResponse.status(200).body(Long.toString(count)).build());
        }
    };

    @BeforeEach
    void start() throws IOException {
        file = new byte[200_000];
        new Random(11).nextBytes(file);
        Files.write(root.resolve("data.bin"), file);
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        ServerSettings settings = RunningServer.settings().withLimits(new ParserLimits(8192, 16384, 100, BODY_LIMIT));
        server = RunningServer.start(settings, root, echo, mirror, counter);
        peer = H2Peer.connect(server.port());
    }

    @AfterEach
    void stop() {
        peer.close();
        server.close();
    }

    /** Sends {@code frames} DATA frames of {@code size} zero bytes, within the stream's window: waits for WINDOW_UPDATE when it is used up. */
    private void sendWithinWindow(int stream, int frames, int size, boolean endStream) throws IOException {
        long window = 65_536; // Pier's SETTINGS_INITIAL_WINDOW_SIZE
        for (int i = 0; i < frames; i++) {
            while (window < size) {
                window += peer.await(H2Frame.WindowUpdate.class, update -> update.streamId() == stream, WAIT).increment();
            }
            peer.sendData(stream, new byte[size], endStream && i == frames - 1);
            window -= size;
        }
    }

    private static String[] post(String path, String... more) {
        String[] head = {":method", "POST", ":scheme", "http", ":authority", "localhost", ":path", path};
        String[] all = Arrays.copyOf(head, head.length + more.length);
        System.arraycopy(more, 0, all, head.length, more.length);
        return all;
    }

    @Test
    void whenABodyComesInManyDataFramesThenTheWholeRequestHandlerGetsItWhole() throws IOException {
        byte[] body = new byte[50_000];
        new Random(1).nextBytes(body);
        peer.sendHeaders(1, false, post("/echo", "content-length", "50000"));
        for (int at = 0; at < body.length; at += 7_000) {
            peer.sendData(1, Arrays.copyOfRange(body, at, Math.min(body.length, at + 7_000)), at + 7_000 >= body.length);
        }
        H2Peer.Response response = peer.response(1, WAIT);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-length")).isEqualTo("50000");
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void whenADeclaredBodyPassesTheLimitThen413ComesBeforeItAndTheConnectionGoesOn() throws IOException {
        peer.sendHeaders(1, false, post("/echo", "content-length", Integer.toString(BODY_LIMIT + 1)));
        H2Peer.Response refused = peer.response(1, WAIT);
        assertThat(refused.status()).isEqualTo(413);
        assertThat(peer.await(H2Frame.RstStream.class, WAIT)).isEqualTo(new H2Frame.RstStream(1, ErrorCode.NO_ERROR.code()));
        peer.get(3, "/index.html", "localhost");
        assertThat(peer.response(3, WAIT).bodyText()).isEqualTo("<h1>home</h1>");
    }

    @Test
    void whenAnUndeclaredBodyPassesTheLimitThen413AndTheStreamIsResetWithoutError() throws IOException {
        peer.sendHeaders(1, false, post("/echo"));
        for (int i = 0; i < 5; i++) {
            peer.sendData(1, new byte[16_000], false);
        }
        assertThat(peer.response(1, WAIT).status()).isEqualTo(413);
        assertThat(peer.await(H2Frame.RstStream.class, WAIT).errorCode()).isEqualTo(ErrorCode.NO_ERROR.code());
    }

    @Test
    void whenAStreamedBodyPassesItsHandlersLimitThenTheHandlerMeets413() throws IOException {
        peer.sendHeaders(1, false, post("/count"));
        sendWithinWindow(1, 7, 16_000, false);
        assertThat(peer.response(1, WAIT).status()).isEqualTo(413);
    }

    @Test
    void whenAStreamedBodyIsWithinItsLimitThenTheBlockingHandlerReadsItAll() throws IOException {
        peer.sendHeaders(1, false, post("/count"));
        sendWithinWindow(1, 6, 16_000, true);
        H2Peer.Response response = peer.response(1, WAIT);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("96000");
    }

    @Test
    void whenAClientExpects100ContinueThenItGetsItBeforeSendingTheBody() throws IOException {
        peer.sendHeaders(1, false, post("/echo", "expect", "100-continue"));
        H2Frame.Headers interim = peer.await(H2Frame.Headers.class, WAIT);
        assertThat(interim.status()).isEqualTo(100);
        assertThat(interim.endStream()).isFalse();
        peer.sendData(1, "after continue".getBytes(StandardCharsets.US_ASCII), true);
        assertThat(peer.response(1, WAIT).bodyText()).isEqualTo("after continue");
    }

    @Test
    void whenAStreamingHandlerAnswersThenDataFramesAndTrailersCarryItAndTheClientsTrailersReachIt() throws IOException {
        byte[] body = new byte[40_000];
        new Random(2).nextBytes(body);
        peer.sendHeaders(1, false, post("/mirror", "te", "trailers"));
        for (int at = 0; at < body.length; at += 16_000) {
            peer.sendData(1, Arrays.copyOfRange(body, at, Math.min(body.length, at + 16_000)), false);
        }
        peer.sendHeaders(1, true, "x-client-sum", "1234");
        H2Peer.Response response = peer.response(1, WAIT);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("transfer-encoding")).isNull();
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.trailer("x-length")).isEqualTo("40000");
        assertThat(response.trailer("x-client-sum")).isEqualTo("1234");
    }

    @Test
    void whenHeadIsAskedThenTheLengthComesWithoutData() throws IOException {
        peer.sendHeaders(1, true, ":method", "HEAD", ":scheme", "http", ":authority", "localhost", ":path", "/data.bin");
        H2Frame.Headers head = peer.await(H2Frame.Headers.class, WAIT);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.get("content-length")).isEqualTo("200000");
        assertThat(head.endStream()).isTrue();
    }

    @Test
    void whenManyStreamsAskAtOnceThenEachGetsItsOwnWholeAnswer() throws IOException {
        for (int stream = 1; stream <= 39; stream += 2) {
            peer.get(stream, stream % 4 == 1 ? "/data.bin" : "/index.html", "localhost");
        }
        for (int stream = 1; stream <= 39; stream += 2) {
            H2Peer.Response response = peer.response(stream, WAIT);
            assertThat(response.status()).isEqualTo(200);
            if (stream % 4 == 1) {
                assertThat(response.body()).isEqualTo(file);
            } else {
                assertThat(response.bodyText()).isEqualTo("<h1>home</h1>");
            }
        }
        assertThat(server.stats().http2Streams()).isZero();
    }
}
