package dev.pier.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.http2.ErrorCode;
import dev.pier.http2.Flags;
import dev.pier.http2.FrameListener;
import dev.pier.http2.FrameParser;
import dev.pier.http2.FrameType;
import dev.pier.http2.FrameWriter;
import dev.pier.http2.Http2Exception;
import dev.pier.http2.Http2Settings;
import dev.pier.http2.Preface;
import dev.pier.http2.hpack.HeaderField;
import dev.pier.http2.hpack.HpackDecoder;
import dev.pier.http2.hpack.HpackEncoder;
import dev.pier.http2.hpack.HpackException;
import dev.pier.test.H2Frame.Closed;
import dev.pier.test.H2Frame.Data;
import dev.pier.test.H2Frame.Headers;
import dev.pier.test.H2Frame.ParseError;
import dev.pier.test.H2Frame.Ping;
import dev.pier.test.H2Frame.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link H2Peer} against a server scripted in the test over a real socket: the server writes
 * frames with Pier's {@link FrameWriter} and {@link HpackEncoder}, and reads what the peer sent
 * with its {@link FrameParser} and {@link HpackDecoder}, one line per frame.
 */
class H2PeerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ScriptedServer server = new ScriptedServer();
    private H2Peer peer;

    @AfterEach
    void close() throws IOException {
        if (peer != null) {
            peer.close();
        }
        server.close();
    }

    @Test
    void whenConnectedThenThePeerSendsPrefaceAndSettingsAndAcknowledgesTheServersSettings() throws IOException {
        peer = H2Peer.connect(server.port(), List.of(new Http2Settings.Setting(Http2Settings.MAX_FRAME_SIZE, 65_536)));
        server.accept().expectPreface();
        assertThat(server.nextEvent()).isEqualTo("SETTINGS [5=65536]");

        server.send(FrameWriter.HEADER_LENGTH + 12, out -> FrameWriter.settings(out,
                Http2Settings.DEFAULTS.with(List.of(new Http2Settings.Setting(Http2Settings.MAX_CONCURRENT_STREAMS, 10),
                        new Http2Settings.Setting(Http2Settings.MAX_FRAME_SIZE, 32_768)))));
        assertThat(server.nextEvent()).isEqualTo("SETTINGS ACK");

        Settings settings = peer.next(Settings.class, WAIT);
        assertThat(settings.ack()).isFalse();
        assertThat(settings.settings()).containsExactly(new Http2Settings.Setting(Http2Settings.MAX_CONCURRENT_STREAMS, 10),
                new Http2Settings.Setting(Http2Settings.MAX_FRAME_SIZE, 32_768));
        assertThat(peer.serverSettings().maxFrameSize()).isEqualTo(32_768);
        assertThat(peer.serverSettings().maxConcurrentStreams()).isEqualTo(10);
        assertThat(peer.applicationProtocol()).isNull();

        // The peer advertised 64 KiB frames: one that large is no error.
        server.send(FrameWriter.HEADER_LENGTH + 65_536, out -> {
            FrameWriter.dataHeader(out, 1, 65_536, true);
            out.put(new byte[65_536]);
        });
        assertThat(peer.next(Data.class, WAIT).data()).hasSize(65_536);
        server.send(FrameWriter.HEADER_LENGTH, FrameWriter::settingsAck);
        assertThat(peer.next(WAIT)).isEqualTo(new Settings(List.of(), true));
    }

    @Test
    void whenAutoAckIsOffThenTheServersSettingsAreOnlyRecorded() throws IOException {
        peer = H2Peer.raw(server.port()).autoAck(false).sendPreface().sendSettings();
        server.accept().expectPreface();
        assertThat(server.nextEvent()).isEqualTo("SETTINGS []");

        server.send(FrameWriter.HEADER_LENGTH + 6, out -> FrameWriter.settings(out,
                Http2Settings.DEFAULTS.with(List.of(new Http2Settings.Setting(Http2Settings.INITIAL_WINDOW_SIZE, 1000)))));
        assertThat(peer.next(Settings.class, WAIT).settings()).hasSize(1);
        assertThat(server.pollEvent(Duration.ofMillis(300))).isNull();

        peer.sendSettingsAck();
        assertThat(server.nextEvent()).isEqualTo("SETTINGS ACK");
    }

    @Test
    void whenTheServersSettingsComeBeforeThePrefaceThenTheAckWaitsForThePeersSettings() throws IOException {
        peer = H2Peer.raw(server.port());
        server.accept();
        server.send(FrameWriter.HEADER_LENGTH, out -> FrameWriter.settings(out, Http2Settings.DEFAULTS));
        assertThat(peer.next(Settings.class, WAIT).settings()).isEmpty();
        assertThat(server.in.available()).as("bytes from the peer before its preface").isZero();

        peer.sendPreface();
        server.expectPreface();
        assertThat(server.pollEvent(Duration.ofMillis(300))).as("an ACK inside the preface").isNull();
        peer.sendSettings();
        assertThat(server.nextEvent()).isEqualTo("SETTINGS []");
        assertThat(server.nextEvent()).isEqualTo("SETTINGS ACK");
    }

    @Test
    void anAckOwedWhileAHeaderBlockIsOpenWaitsForItsEnd() throws IOException, InterruptedException {
        peer = H2Peer.connect(server.port());
        server.accept().expectPreface();
        assertThat(server.nextEvent()).isEqualTo("SETTINGS []");
        byte[] block = peer.encodeBlock(":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", "/");

        peer.sendHeadersBlock(1, true, false, Arrays.copyOf(block, 2));
        server.send(FrameWriter.HEADER_LENGTH, out -> FrameWriter.settings(out, Http2Settings.DEFAULTS));
        peer.next(Settings.class, WAIT);
        Thread.sleep(200); // time for the replies thread to try
        assertThat(server.pollEvent(Duration.ofMillis(200))).isNull();
        peer.sendContinuation(1, true, Arrays.copyOfRange(block, 2, block.length));

        assertThat(server.nextEvent()).isEqualTo("HEADERS 1 END_STREAM frames=2 [:method: GET, :scheme: http, :authority: localhost, :path: /]");
        assertThat(server.nextEvent()).isEqualTo("SETTINGS ACK");
    }

    @Test
    void aHeaderBlockAcrossContinuationFramesArrivingInPiecesIsOneHeadersFrame() throws IOException {
        peer = H2Peer.connect(server.port());
        server.accept().expectPreface();
        String big = "v".repeat(40_000);
        byte[] block = server.block(":status", "200", "content-type", "text/plain", "x-big", big, "x-after", "1");
        ByteBuffer frames = ByteBuffer.allocate(FrameWriter.headersLength(block.length, 16_384));
        FrameWriter.headers(frames, 1, ByteBuffer.wrap(block), false, 16_384);
        assertThat(frames.position()).isEqualTo(block.length + 3 * FrameWriter.HEADER_LENGTH); // HEADERS and 2 CONTINUATION
        for (int at = 0; at < frames.position(); at += 1000) {
            server.send(Arrays.copyOfRange(frames.array(), at, Math.min(at + 1000, frames.position())));
        }

        Headers headers = peer.next(Headers.class, WAIT);
        assertThat(headers.streamId()).isEqualTo(1);
        assertThat(headers.endStream()).isFalse();
        assertThat(headers.fields()).containsExactly(new HeaderField(":status", "200"), new HeaderField("content-type", "text/plain"),
                new HeaderField("x-big", big), new HeaderField("x-after", "1"));
        assertThat(headers.status()).isEqualTo(200);
        assertThat(headers.get("x-after")).isEqualTo("1");
    }

    @Test
    void aResponseIsCollectedFromItsStreamAndTheOtherStreamsFramesWaitTheirTurn() throws IOException {
        peer = H2Peer.connect(server.port());
        server.accept().expectPreface();
        server.headers(1, false, ":status", "103", "link", "</style.css>; rel=preload");
        server.headers(1, false, ":status", "200", "content-type", "text/plain");
        server.headers(3, false, ":status", "404");
        server.data(1, "hel", false);
        server.send(FrameWriter.HEADER_LENGTH + 8, out -> FrameWriter.ping(out, 42, false));
        server.data(3, "gone", true);
        server.data(1, "lo", false);
        server.headers(1, true, "grpc-status", "0");
        server.headers(5, false, ":status", "200");
        server.send(FrameWriter.HEADER_LENGTH + 4, out -> FrameWriter.rstStream(out, 5, ErrorCode.CANCEL));

        H2Peer.Response three = peer.response(3, WAIT);
        assertThat(three.status()).isEqualTo(404);
        assertThat(three.bodyText()).isEqualTo("gone");
        assertThat(three.resetCode()).isNull();

        H2Peer.Response one = peer.response(1, WAIT);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.header("content-type")).isEqualTo("text/plain");
        assertThat(one.bodyText()).isEqualTo("hello");
        assertThat(one.trailer("grpc-status")).isEqualTo("0");

        H2Peer.Response five = peer.response(5, WAIT);
        assertThat(five.status()).isEqualTo(200);
        assertThat(five.reset()).isEqualTo(ErrorCode.CANCEL);

        // Only the frames of no stream asked for are left, in order.
        assertThat(peer.next(WAIT)).isEqualTo(new Ping(42, false));
        assertThat(peer.pending()).isEmpty();
    }

    @Test
    void whenDataArrivesThenTheWindowsGrowBackSoABigDownloadFinishes() throws IOException {
        peer = H2Peer.connect(server.port());
        server.accept().expectPreface();
        peer.get(1, "/big", "localhost");
        assertThat(server.nextEvent()).isEqualTo("SETTINGS []");
        assertThat(server.nextEvent()).isEqualTo("HEADERS 1 END_STREAM frames=1 [:method: GET, :scheme: http, :authority: localhost, :path: /big]");

        byte[] body = new byte[200 * 1024];
        Arrays.fill(body, (byte) 'x');
        server.headers(1, false, ":status", "200");
        int sent = server.sendWithinWindows(1, body);
        assertThat(sent).isEqualTo(body.length);

        H2Peer.Response response = peer.response(1, WAIT);
        assertThat(response.body()).hasSameSizeAs(body);
        assertThat(Arrays.mismatch(response.body(), body)).as("the first byte that differs").isEqualTo(-1);
        // Padding counts for flow control: a padded frame of 10 bytes of data takes 31 from the windows.
        server.send(H2Peer.frame(FrameType.DATA.code(), Flags.PADDED, 3, concat(new byte[] {20}, "0123456789".getBytes(), new byte[20])));
        assertThat(peer.next(Data.class, WAIT)).satisfies(data -> {
            assertThat(new String(data.data(), StandardCharsets.US_ASCII)).isEqualTo("0123456789");
            assertThat(data.length()).isEqualTo(31);
        });
        assertThat(server.nextEventMatching("WINDOW_UPDATE 3 ")).isEqualTo("WINDOW_UPDATE 3 31");
    }

    @Test
    void whenAutoWindowUpdateIsOffThenTheServerStopsAtTheInitialWindow() throws IOException {
        peer = H2Peer.connect(server.port()).autoWindowUpdate(false);
        server.accept().expectPreface();
        assertThat(server.nextEvent()).isEqualTo("SETTINGS []");

        server.headers(1, false, ":status", "200");
        server.sendWindowTimeout = Duration.ofMillis(500);
        assertThat(server.sendWithinWindows(1, new byte[100_000])).isEqualTo(65_535);
    }

    @Test
    void whenNothingComesThenReadsTimeOutAndOnceTheServerClosesTheyFailAtOnce() throws IOException {
        peer = H2Peer.connect(server.port());
        server.accept().expectPreface();

        long start = System.nanoTime();
        assertThatThrownBy(() -> peer.next(Duration.ofMillis(200))).isInstanceOf(AssertionError.class).hasMessageContaining("No frame");
        assertThat(peer.poll(Duration.ofMillis(100))).isEmpty();
        assertThat(peer.awaitClose(Duration.ofMillis(100))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        server.send(FrameWriter.HEADER_LENGTH + 8, out -> FrameWriter.ping(out, 7, true));
        server.closeConnection();
        assertThat(peer.awaitClose(WAIT)).isTrue();
        start = System.nanoTime();
        assertThatThrownBy(() -> peer.awaitGoAway(Duration.ofSeconds(30))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("closed the connection").hasMessageContaining("Ping");
        assertThatThrownBy(() -> peer.response(1, Duration.ofSeconds(30))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("before stream 1 ended");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        assertThat(peer.next(WAIT)).isEqualTo(new Ping(7, true));
        assertThat(peer.next(WAIT)).isEqualTo(new Closed(null));
        assertThat(peer.next(Closed.class, WAIT).reset()).isFalse();
    }

    @Test
    void whenThePeerIsClosedThenWaitsFailAtOnceAndSendsThrow() throws IOException {
        peer = H2Peer.connect(server.port());
        server.accept().expectPreface();
        peer.close();

        assertThatThrownBy(() -> peer.next(Duration.ofSeconds(30))).isInstanceOf(AssertionError.class).hasMessageContaining("closed by the test");
        assertThat(peer.awaitClose(Duration.ofSeconds(30))).isFalse();
        assertThatExceptionOfType(IOException.class).isThrownBy(() -> peer.sendPing(1));
    }

    @Test
    void malformedServerBytesAreQueuedAsParseErrors() throws IOException {
        peer = H2Peer.connect(server.port());
        server.accept().expectPreface();

        server.send(H2Peer.frame(FrameType.WINDOW_UPDATE.code(), 0, 1, new byte[4])); // a stream error: parsing goes on
        server.send(FrameWriter.HEADER_LENGTH + 8, out -> FrameWriter.ping(out, 1, false));
        server.send(H2Peer.frameHeader(20_000, FrameType.DATA.code(), 0, 1)); // beyond the 16 KiB the peer advertised
        server.send(FrameWriter.HEADER_LENGTH + 8, out -> FrameWriter.ping(out, 2, false));

        assertThat(peer.next(WAIT)).isEqualTo(new ParseError(1, ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE of 0 on stream 1"));
        assertThat(peer.next(WAIT)).isEqualTo(new Ping(1, false));
        ParseError error = peer.next(ParseError.class, WAIT);
        assertThat(error.isConnectionError()).isTrue();
        assertThat(error.error()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR);
        assertThat(peer.poll(Duration.ofMillis(300))).as("nothing is parsed after a connection error").isEmpty();
    }

    @Test
    void enablePushFromTheServerIsAProtocolError() throws IOException {
        peer = H2Peer.connect(server.port());
        server.accept().expectPreface();
        server.send(H2Peer.frame(FrameType.SETTINGS.code(), 0, 0, new byte[] {0, Http2Settings.ENABLE_PUSH, 0, 0, 0, 1}));

        assertThat(peer.next(WAIT)).isEqualTo(new ParseError(0, ErrorCode.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH of 1 from a server"));
        assertThat(server.nextEvent()).isEqualTo("SETTINGS []");
        assertThat(server.pollEvent(Duration.ofMillis(300))).as("no ACK").isNull();
    }

    @Test
    void aHeaderBlockThatDoesNotDecodeIsACompressionError() throws IOException {
        peer = H2Peer.connect(server.port());
        server.accept().expectPreface();
        server.send(H2Peer.frame(FrameType.HEADERS.code(), Flags.END_HEADERS, 1, new byte[] {(byte) 0x80})); // index 0
        server.send(FrameWriter.HEADER_LENGTH + 8, out -> FrameWriter.ping(out, 1, false));

        ParseError error = peer.next(ParseError.class, WAIT);
        assertThat(error.error()).isEqualTo(ErrorCode.COMPRESSION_ERROR);
        assertThat(error.isConnectionError()).isTrue();
        assertThat(peer.poll(Duration.ofMillis(300))).isEmpty();
    }

    @Test
    void aLongHeaderBlockIsSplitAtTheServersMaxFrameSize() throws IOException {
        peer = H2Peer.connect(server.port());
        server.accept().expectPreface();
        assertThat(server.nextEvent()).isEqualTo("SETTINGS []");
        String big = "b".repeat(30_000); // 22,500 bytes Huffman-coded

        peer.sendHeaders(1, false, ":method", "POST", ":scheme", "http", ":authority", "localhost", ":path", "/upload", "x-big", big);
        assertThat(server.nextEvent()).isEqualTo("HEADERS 1 frames=2 [:method: POST, :scheme: http, :authority: localhost, :path: /upload,"
                + " x-big: 30000 chars]");

        server.send(FrameWriter.HEADER_LENGTH + 6, out -> FrameWriter.settings(out,
                Http2Settings.DEFAULTS.with(List.of(new Http2Settings.Setting(Http2Settings.MAX_FRAME_SIZE, 32_768)))));
        server.parser.maxFrameSize(32_768);
        peer.next(Settings.class, WAIT); // the ACK is owed: the next write sends it first
        peer.sendHeaders(3, true, ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", "/", "x-big", big);
        assertThat(server.nextEvent()).isEqualTo("SETTINGS ACK");
        assertThat(server.nextEvent()).startsWith("HEADERS 3 END_STREAM frames=1 [:method: GET");
    }

    @Test
    void framesAreWrittenAsTheRfcLaysThemOut() throws IOException {
        peer = H2Peer.connect(server.port());
        server.accept().expectPreface();
        assertThat(server.nextEvent()).isEqualTo("SETTINGS []");

        peer.sendFrame(0xbe, 0xff, 0, new byte[3]); // an unknown type, which the parser skips
        peer.sendPriority(3, 1, 16);
        peer.sendData(1, "hi".getBytes(StandardCharsets.US_ASCII), false);
        peer.sendData(1, "padded".getBytes(StandardCharsets.US_ASCII), true, 4);
        peer.sendRstStream(3, ErrorCode.CANCEL);
        peer.sendWindowUpdate(0, 1000);
        peer.sendPing(0x0102030405060708L);
        peer.sendWindowUpdate(5, 0);
        byte[] block = peer.encodeBlock(":method", "GET", ":path", "/");
        peer.sendHeadersBlock(7, true, false, Arrays.copyOf(block, 1));
        peer.sendContinuation(7, true, Arrays.copyOfRange(block, 1, block.length));
        peer.sendGoAway(7, ErrorCode.NO_ERROR, "bye");

        assertThat(List.of(server.nextEvent(), server.nextEvent(), server.nextEvent(), server.nextEvent(), server.nextEvent(),
                server.nextEvent(), server.nextEvent(), server.nextEvent(), server.nextEvent())).containsExactly(
                        "PRIORITY 3",
                        "DATA 1 length=2 data=hi",
                        "DATA 1 length=11 data=padded END_STREAM",
                        "RST_STREAM 3 8",
                        "WINDOW_UPDATE 0 1000",
                        "PING 0102030405060708",
                        "error on stream 5 PROTOCOL_ERROR",
                        "HEADERS 7 END_STREAM frames=2 [:method: GET, :path: /]",
                        "GOAWAY 7 0 bye");
    }

    @Test
    void aWriteTheServerNeverTakesFailsAtTheWriteTimeout() throws IOException {
        peer = H2Peer.connect(server.port()).writeTimeout(Duration.ofMillis(500));
        server.accept(); // and never reads
        peer.socket().setSendBufferSize(16 * 1024);

        long start = System.nanoTime();
        byte[] chunk = new byte[16 * 1024];
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100_000; i++) {
                peer.sendData(1, chunk, false);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("the server stopped reading");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThatThrownBy(() -> peer.next(WAIT)).isInstanceOf(AssertionError.class).hasMessageContaining("stopped reading");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /**
     * The server's side of one connection, played by the test thread: it writes frames as given
     * and reads the peer's frames as lines, every read bounded by a timeout.
     */
    private static final class ScriptedServer implements AutoCloseable {

        private final ServerSocket listener;
        private final HpackEncoder encoder = new HpackEncoder();
        private final HpackDecoder decoder = new HpackDecoder(4096, 1 << 20);
        private final FrameParser parser = new FrameParser();
        private final Deque<String> events = new ArrayDeque<>();
        private final Recorder recorder = new Recorder();
        private Socket socket;
        private InputStream in;
        Duration sendWindowTimeout = WAIT;

        ScriptedServer() {
            try {
                listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                listener.setSoTimeout(5_000);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        int port() {
            return listener.getLocalPort();
        }

        ScriptedServer accept() throws IOException {
            socket = listener.accept();
            socket.setSoTimeout(5_000);
            in = socket.getInputStream();
            return this;
        }

        void expectPreface() throws IOException {
            byte[] preface = in.readNBytes(Preface.LENGTH);
            ByteBuffer expected = Preface.bytes();
            assertThat(Preface.match(ByteBuffer.wrap(preface))).as(new String(preface, StandardCharsets.ISO_8859_1))
                    .isEqualTo(Preface.Match.COMPLETE);
            assertThat(preface).hasSize(expected.remaining());
        }

        byte[] block(String... namesAndValues) {
            ByteBuffer block = ByteBuffer.allocate(100_000);
            encoder.beginBlock(block);
            for (int i = 0; i < namesAndValues.length; i += 2) {
                encoder.encode(namesAndValues[i], namesAndValues[i + 1], block);
            }
            return Arrays.copyOf(block.array(), block.position());
        }

        void headers(int streamId, boolean endStream, String... namesAndValues) throws IOException {
            byte[] block = block(namesAndValues);
            send(FrameWriter.headersLength(block.length, 16_384), out -> FrameWriter.headers(out, streamId, ByteBuffer.wrap(block), endStream, 16_384));
        }

        void data(int streamId, String data, boolean endStream) throws IOException {
            byte[] bytes = data.getBytes(StandardCharsets.US_ASCII);
            send(FrameWriter.HEADER_LENGTH + bytes.length, out -> {
                FrameWriter.dataHeader(out, streamId, bytes.length, endStream);
                out.put(bytes);
            });
        }

        interface Frame {
            void write(ByteBuffer out);
        }

        void send(int length, Frame frame) throws IOException {
            ByteBuffer out = ByteBuffer.allocate(length);
            frame.write(out);
            assertThat(out.hasRemaining()).isFalse();
            send(out.array());
        }

        void send(byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }

        /**
         * Sends the body in DATA frames of 16 KiB at most, within the stream's and the
         * connection's windows (65,535 each at first) as the peer's WINDOW_UPDATEs grow them;
         * stops when the windows stay shut for {@link #sendWindowTimeout}. Returns what was sent.
         */
        int sendWithinWindows(int streamId, byte[] body) throws IOException {
            long connectionWindow = 65_535;
            long streamWindow = 65_535;
            int sent = 0;
            while (sent < body.length) {
                int length = (int) Math.min(Math.min(16_384, body.length - sent), Math.min(connectionWindow, streamWindow));
                if (length > 0) {
                    boolean last = sent + length == body.length;
                    byte[] frame = H2Peer.frame(FrameType.DATA.code(), last ? Flags.END_STREAM : 0, streamId,
                            Arrays.copyOfRange(body, sent, sent + length));
                    send(frame);
                    sent += length;
                    connectionWindow -= length;
                    streamWindow -= length;
                    continue;
                }
                String event = pollEvent(sendWindowTimeout);
                if (event == null) {
                    return sent;
                }
                if (event.startsWith("WINDOW_UPDATE ")) {
                    String[] parts = event.split(" ");
                    int increment = Integer.parseInt(parts[2]);
                    if (parts[1].equals("0")) {
                        connectionWindow += increment;
                    } else if (Integer.parseInt(parts[1]) == streamId) {
                        streamWindow += increment;
                    }
                }
            }
            return sent;
        }

        String nextEvent() throws IOException {
            String event = pollEvent(WAIT);
            assertThat(event).as("a frame from the peer").isNotNull();
            return event;
        }

        /** The next event that starts so, skipping the others. */
        String nextEventMatching(String prefix) throws IOException {
            String event;
            do {
                event = nextEvent();
            } while (!event.startsWith(prefix));
            return event;
        }

        /** The next frame the peer sent, as a line, or null if none comes within the timeout. */
        String pollEvent(Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            byte[] chunk = new byte[16 * 1024];
            while (events.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
                int count;
                try {
                    count = in.read(chunk);
                } catch (SocketTimeoutException e) {
                    return null;
                }
                if (count < 0) {
                    return events.isEmpty() ? "EOF" : events.poll();
                }
                ByteBuffer bytes = ByteBuffer.wrap(chunk, 0, count);
                while (bytes.hasRemaining()) {
                    try {
                        parser.parse(bytes, recorder);
                    } catch (Http2Exception e) {
                        events.add("error " + (e.isConnectionError() ? "on the connection " : "on stream " + e.streamId() + " ") + e.error());
                        if (e.isConnectionError()) {
                            break;
                        }
                    }
                }
            }
            return events.poll();
        }

        void closeConnection() throws IOException {
            socket.close();
        }

        @Override
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
            }
            listener.close();
        }

        /** One line per frame; a header block decoded, with the number of frames it took. */
        private final class Recorder implements FrameListener {

            private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
            private String dataStart;
            private String headersStart;
            private int blockFrames;

            @Override
            public void onDataStart(int streamId, int length, int dataLength) {
                payload.reset();
                dataStart = "DATA " + streamId + " length=" + length;
            }

            @Override
            public void onData(int streamId, ByteBuffer data) {
                copy(data);
            }

            @Override
            public void onDataEnd(int streamId, boolean endStream) {
                String data = payload.size() > 100 ? payload.size() + " bytes" : payload.toString(StandardCharsets.ISO_8859_1);
                events.add(dataStart + " data=" + data + (endStream ? " END_STREAM" : ""));
            }

            @Override
            public void onHeadersStart(int streamId, boolean endStream) {
                payload.reset();
                headersStart = "HEADERS " + streamId + (endStream ? " END_STREAM" : "");
                blockFrames = 1;
            }

            @Override
            public void onContinuation(int streamId) {
                blockFrames++;
            }

            @Override
            public void onHeaderBlockFragment(int streamId, ByteBuffer fragment) {
                copy(fragment);
            }

            @Override
            public void onHeadersEnd(int streamId) {
                List<String> fields = new ArrayList<>();
                try {
                    decoder.decode(ByteBuffer.wrap(payload.toByteArray()),
                            (name, value) -> fields.add(name + ": " + (value.length() > 100 ? value.length() + " chars" : value)));
                } catch (HpackException e) {
                    fields.add("COMPRESSION_ERROR " + e.getMessage());
                }
                events.add(headersStart + " frames=" + blockFrames + " " + fields);
            }

            @Override
            public void onPriority(int streamId) {
                events.add("PRIORITY " + streamId);
            }

            @Override
            public void onRstStream(int streamId, long errorCode) {
                events.add("RST_STREAM " + streamId + " " + errorCode);
            }

            @Override
            public void onSettings(List<Http2Settings.Setting> settings) {
                events.add("SETTINGS " + settings.stream().map(setting -> setting.identifier() + "=" + setting.value()).toList());
            }

            @Override
            public void onSettingsAck() {
                events.add("SETTINGS ACK");
            }

            @Override
            public void onPing(long data, boolean ack) {
                events.add("PING " + (ack ? "ACK " : "") + String.format("%016x", data));
            }

            @Override
            public void onGoAway(int lastStreamId, long errorCode, ByteBuffer debugData) {
                byte[] debug = new byte[debugData.remaining()];
                debugData.get(debug);
                events.add("GOAWAY " + lastStreamId + " " + errorCode + " " + new String(debug, StandardCharsets.ISO_8859_1));
            }

            @Override
            public void onWindowUpdate(int streamId, int increment) {
                events.add("WINDOW_UPDATE " + streamId + " " + increment);
            }

            private void copy(ByteBuffer bytes) {
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                payload.writeBytes(copy);
            }
        }
    }
}
