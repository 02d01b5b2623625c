package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http2.ErrorCode;
import dev.pier.http2.Http2Settings;
import dev.pier.http2.Preface;
import dev.pier.test.H2Frame;
import dev.pier.test.H2Peer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every HTTP/2 limit against a peer that abuses it, over a real socket: each test names the
 * attack, the setting that bounds it and what the peer gets (RFC 9113 §10.5).
 */
@Timeout(60)
class Http2LimitsOverSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path root;

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger slowStarted = new AtomicInteger();
    private RunningServer server;

    /** A blocking handler that holds its worker until the test releases it. */
    private final HttpHandler slow = new HttpHandler() {
        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/slow");
        }

        @Override
        public HttpResponse handle(HttpRequest request) throws InterruptedException {
            slowStarted.incrementAndGet();
            release.await(30, TimeUnit.SECONDS);
            return HttpResponse.status(200).body("slow").build();
        }
    };

    @BeforeEach
    void createSite() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.write(root.resolve("large.bin"), new byte[4 * 1024 * 1024]);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    private void start(ServerSettings.Http2 http2) throws IOException {
        server = RunningServer.start(RunningServer.settings().withHttp2(http2), root, slow);
    }

    private static ServerSettings.Http2 limits(int maxConcurrentStreams, int maxResets, int maxControlFrames) {
        ServerSettings.Http2 defaults = ServerSettings.Http2.DEFAULTS;
        return new ServerSettings.Http2(maxConcurrentStreams, defaults.initialWindowSize(), defaults.maxFrameSize(), defaults.headerTableSize(),
                defaults.maxContinuationFrames(), maxResets, maxControlFrames, Duration.ofMinutes(1));
    }

    @Test
    void whenMoreStreamsThanAllowedAreOpenThenTheExtraOneIsRefusedAndTheConnectionGoesOn() throws IOException {
        start(limits(2, 200, 10_000));
        try (H2Peer peer = H2Peer.connect(server.port())) {
            assertThat(peer.await(H2Frame.Settings.class, settings -> !settings.ack(), WAIT).settings())
                    .contains(new Http2Settings.Setting(Http2Settings.MAX_CONCURRENT_STREAMS, 2));
            peer.get(1, "/slow", "localhost").get(3, "/slow", "localhost").get(5, "/index.html", "localhost");

            assertThat(peer.await(H2Frame.RstStream.class, WAIT)).isEqualTo(new H2Frame.RstStream(5, ErrorCode.REFUSED_STREAM.code()));
            release.countDown();
            assertThat(peer.response(1, WAIT).bodyText()).isEqualTo("slow");
            assertThat(peer.response(3, WAIT).bodyText()).isEqualTo("slow");
            peer.get(7, "/index.html", "localhost");
            assertThat(peer.response(7, WAIT).status()).isEqualTo(200);
        }
    }

    @Test
    void whenAClientResetsAStreamWhoseHandlerRunsThenItsSlotIsHeldUntilTheHandlerEnds() throws IOException {
        // MadeYouReset / Rapid Reset: a reset must not free the concurrency slot while the work goes on.
        start(limits(1, 200, 10_000));
        try (H2Peer peer = H2Peer.connect(server.port())) {
            peer.get(1, "/slow", "localhost");
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> slowStarted.get() == 1);
            peer.sendRstStream(1, ErrorCode.CANCEL);
            peer.get(3, "/index.html", "localhost");
            assertThat(peer.await(H2Frame.RstStream.class, WAIT)).isEqualTo(new H2Frame.RstStream(3, ErrorCode.REFUSED_STREAM.code()));

            release.countDown();
            org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> {
                int stream = nextStream(peer);
                peer.get(stream, "/index.html", "localhost");
                assertThat(peer.response(stream, WAIT).status()).isEqualTo(200);
            });
        }
        assertThat(server.stats().http2ResetsReceived(ErrorCode.CANCEL)).isEqualTo(1);
    }

    private static final AtomicInteger NEXT = new AtomicInteger(101);

    private static int nextStream(H2Peer peer) {
        return NEXT.getAndAdd(2);
    }

    @Test
    void whenAClientOpensAndResetsStreamsRapidlyThenTheConnectionEndsWithEnhanceYourCalm() throws IOException {
        // Rapid Reset (CVE-2023-44487).
        start(limits(128, 10, 10_000));
        try (H2Peer peer = H2Peer.connect(server.port())) {
            for (int stream = 1; stream <= 23; stream += 2) {
                peer.get(stream, "/index.html", "localhost").sendRstStream(stream, ErrorCode.CANCEL);
            }
            assertThat(peer.awaitGoAway(WAIT).error()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
            assertThat(peer.awaitClose(WAIT)).isTrue();
        }
        assertThat(server.stats().http2GoAwaysSent(ErrorCode.ENHANCE_YOUR_CALM)).isEqualTo(1);
    }

    @Test
    void whenAClientMakesPierResetStreamsRepeatedlyThenThoseResetsCountToo() throws IOException {
        // MadeYouReset (CVE-2025-8671): malformed requests that each cost Pier a reset.
        start(limits(128, 10, 10_000));
        try (H2Peer peer = H2Peer.connect(server.port())) {
            for (int stream = 1; stream <= 23; stream += 2) {
                peer.sendHeaders(stream, true, ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", "/", "Upper", "x");
            }
            assertThat(peer.awaitGoAway(WAIT).error()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
        }
        assertThat(server.stats().http2ResetsSent(ErrorCode.PROTOCOL_ERROR)).isEqualTo(10);
    }

    @Test
    void whenAHeaderBlockGoesOnInManyContinuationFramesThenTheConnectionEndsWithEnhanceYourCalm() throws IOException {
        // CVE-2024-27316: CONTINUATION frames without end.
        start(limits(128, 200, 10_000));
        try (H2Peer peer = H2Peer.connect(server.port())) {
            byte[] block = peer.encodeBlock(":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", "/");
            peer.sendHeadersBlock(1, true, false, block);
            for (int i = 0; i < ServerSettings.Http2.DEFAULTS.maxContinuationFrames() + 1; i++) {
                peer.sendContinuation(1, false, new byte[] {(byte) 0x82});
            }
            assertThat(peer.awaitGoAway(WAIT).error()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void whenAHeaderBlockOutgrowsTheHeaderLimitInItsFramesThenTheConnectionEndsWithEnhanceYourCalm() throws IOException {
        start(limits(128, 200, 10_000));
        try (H2Peer peer = H2Peer.connect(server.port())) {
            peer.sendHeadersBlock(1, true, false, new byte[16_000]);
            peer.sendContinuation(1, false, new byte[16_000]);
            assertThat(peer.awaitGoAway(WAIT).error()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void whenAHeaderListDecodesBeyondTheHeaderLimitThenTheRequestGets431AndTheConnectionGoesOn() throws IOException {
        start(limits(128, 200, 10_000));
        try (H2Peer peer = H2Peer.connect(server.port())) {
            String big = "x".repeat(6_000);
            peer.sendHeaders(1, true, ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", "/",
                    "a", big, "b", big, "c", big);
            assertThat(peer.response(1, WAIT).status()).isEqualTo(431);
            peer.get(3, "/index.html", "localhost");
            assertThat(peer.response(3, WAIT).bodyText()).isEqualTo("<h1>home</h1>");
        }
    }

    @Test
    void whenAClientFloodsPingsThenTheConnectionEndsWithEnhanceYourCalm() throws IOException {
        start(limits(128, 200, 50));
        try (H2Peer peer = H2Peer.connect(server.port())) {
            for (int i = 0; i < 60; i++) {
                peer.sendPing(i);
            }
            assertThat(peer.awaitGoAway(WAIT).error()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void whenAClientFloodsSettingsThenTheConnectionEndsWithEnhanceYourCalm() throws IOException {
        start(limits(128, 200, 50));
        try (H2Peer peer = H2Peer.connect(server.port())) {
            for (int i = 0; i < 60; i++) {
                peer.sendSettings(new Http2Settings.Setting(Http2Settings.MAX_HEADER_LIST_SIZE, 8192 + i));
            }
            assertThat(peer.awaitGoAway(WAIT).error()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void whenAClientFloodsPriorityFramesThenTheConnectionEndsWithEnhanceYourCalm() throws IOException {
        start(limits(128, 200, 50));
        try (H2Peer peer = H2Peer.connect(server.port())) {
            for (int i = 0; i < 60; i++) {
                peer.sendPriority(2 * i + 1, 0, 16);
            }
            assertThat(peer.awaitGoAway(WAIT).error()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void whenAClientFloodsEmptyDataFramesThenTheConnectionEndsWithEnhanceYourCalm() throws IOException {
        start(limits(128, 200, 50));
        try (H2Peer peer = H2Peer.connect(server.port())) {
            peer.sendHeaders(1, false, ":method", "POST", ":scheme", "http", ":authority", "localhost", ":path", "/slow");
            for (int i = 0; i < 60; i++) {
                peer.sendData(1, new byte[0], false);
            }
            assertThat(peer.awaitGoAway(WAIT).error()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void whenAClientKeepsTheWindowShutThenTheSendTimeoutClosesTheConnection() throws IOException {
        server = RunningServer.start(RunningServer.settings().withTimeouts(new ServerSettings.Timeouts(
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMillis(500))), root);
        try (H2Peer peer = H2Peer.connect(server.port(), List.of(new Http2Settings.Setting(Http2Settings.INITIAL_WINDOW_SIZE, 0)))) {
            peer.get(1, "/large.bin", "localhost");
            assertThat(peer.await(H2Frame.Headers.class, WAIT).status()).isEqualTo(200);
            assertThat(peer.awaitClose(WAIT)).isTrue();
        }
        assertThat(server.stats().timeouts(ServerStats.TimeoutKind.SEND)).isEqualTo(1);
    }

    @Test
    void whenAClientNeverReadsThenTheSendTimeoutClosesTheConnection() throws IOException {
        server = RunningServer.start(RunningServer.settings().withTimeouts(new ServerSettings.Timeouts(
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMillis(500))), root);
        try (RawClient client = server.connect()) {
            client.socket().setReceiveBufferSize(4096);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ByteBuffer preface = Preface.bytes();
            byte[] magic = new byte[preface.remaining()];
            preface.get(magic);
            bytes.write(magic);
            bytes.write(H2Peer.frame(0x4, 0, 0, new byte[0]));
            bytes.write(H2Peer.frame(0x8, 0, 0, ByteBuffer.allocate(4).putInt((1 << 30) - 1 - 65_535).array()));
            bytes.write(H2Peer.frame(0x4, 0, 0, ByteBuffer.allocate(6).putShort((short) Http2Settings.INITIAL_WINDOW_SIZE)
                    .putInt((1 << 30) - 1).array()));
            // GET /large.bin, HPACK by hand: indexed :method GET, :scheme http, literal :path, :authority.
            byte[] block = {(byte) 0x82, (byte) 0x86, 0x04, 0x0a, '/', 'l', 'a', 'r', 'g', 'e', '.', 'b', 'i', 'n', 0x01, 0x01, 'x'};
            bytes.write(H2Peer.frame(0x1, 0x5, 1, block));
            client.send(bytes.toByteArray());
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> server.stats().timeouts(ServerStats.TimeoutKind.SEND) == 1);
        }
    }

    @Test
    void whenAClientNeverAcknowledgesPiersSettingsThenTheConnectionEndsWithSettingsTimeout() throws IOException {
        server = RunningServer.start(RunningServer.settings().withTimeouts(new ServerSettings.Timeouts(
                Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10))), root);
        try (H2Peer peer = H2Peer.raw(server.port())) {
            peer.autoAck(false).sendPreface().sendSettings();
            assertThat(peer.await(H2Frame.Settings.class, settings -> !settings.ack(), WAIT)).isNotNull();
            assertThat(peer.awaitGoAway(WAIT).error()).isEqualTo(ErrorCode.SETTINGS_TIMEOUT);
        }
        assertThat(server.stats().http2GoAwaysSent(ErrorCode.SETTINGS_TIMEOUT)).isEqualTo(1);
    }
}
