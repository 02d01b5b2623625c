package dev.pier.server;

import static dev.pier.test.Octets.ascii;
import static dev.pier.test.Octets.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.pier.http2.ErrorCode;
import dev.pier.http2.Http2Settings;
import dev.pier.test.H2Frame;
import dev.pier.test.H2Peer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the conformance tests share, after h2spec (summerwind/h2spec), whose cases they replay: a
 * server with a small {@code index.html} and {@link EchoBody} for DATA, started once for each
 * class; h2spec's handshake and request fields; its verdicts (its {@code spec/verifier.go}); and
 * the parameterized test that runs each {@link Case} a subclass lists in {@link #cases()}, shown
 * under h2spec's id and description, as in {@code http2/6.5.2/1}, so that {@code h2spec
 * http2/6.5.2/1} runs the same case against another server.
 *
 * <p>Like h2spec's, a verdict reads the server's frames in order and drops those it skips. Each is
 * a little stricter: where h2spec also passes a bare close, or reads on past a RST_STREAM or GOAWAY
 * with another code, these want the first such frame to carry the code. A close must be orderly,
 * as in h2spec, which reports a reset connection as an error.
 */
@Timeout(20)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class H2Spec {

    /** h2spec waits 2 s for each frame; a loaded machine gets a little more. */
    static final Duration WAIT = Duration.ofSeconds(3);

    /** Longer than 5 octets, which h2spec's flow-control cases need from {@code GET /}. */
    static final String INDEX = "<!doctype html><title>Pier</title><p>It works.</p>\n";

    /** h2spec's {@code -max-header-length} default: each of its dummy fields' value. */
    static final int MAX_HEADER_LENGTH = 4000;

    /** The payload of h2spec's PINGs: "h2spec", zero-padded to 8 octets. */
    static final long H2SPEC_PING = pingData("h2spec");

    /** h2spec's frame of an unknown type: 0x16, sent with 8 octets on stream 0. */
    static final int UNKNOWN_FRAME_TYPE = 0x16;

    /** No octets, where a header block takes none around h2spec's request fields. */
    static final byte[] NONE = new byte[0];

    private RunningServer server;

    @BeforeAll
    final void startServer(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("index.html"), INDEX);
        server = RunningServer.start(root, new EchoBody());
    }

    @AfterAll
    final void stopServer() {
        server.close();
    }

    /** This class's h2spec cases, in h2spec's order. */
    abstract Stream<Case> cases();

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    final void h2spec(Case h2specCase) throws IOException {
        try (H2Peer peer = h2specCase.handshake() ? handshake() : H2Peer.raw(server.port())) {
            h2specCase.script().run(peer);
            h2specCase.verdict().check().run(peer);
        } catch (AssertionError e) {
            // Surefire's console names a row by its index alone: the failure names the case.
            throw new AssertionError(h2specCase + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException(h2specCase + ": " + e.getMessage(), e);
        }
    }

    /** A connection to this class's server, after h2spec's handshake. */
    final H2Peer handshake() throws IOException {
        return handshake(server.port());
    }

    // ---- Cases

    /** What a case sends, h2spec's {@code Run} up to its verdict; it may wait for frames on the way. */
    @FunctionalInterface
    interface Script {
        void run(H2Peer peer) throws IOException;
    }

    /** How a case is judged once its script ran, after one of h2spec's {@code Verify} functions. */
    record Verdict(String expected, Script check) {
        @Override
        public String toString() {
            return expected;
        }
    }

    /**
     * One h2spec case: its id ({@code group/section/number}), h2spec's description of it, what is
     * expected and what is sent, after h2spec's handshake unless {@link #withoutHandshake()}.
     */
    record Case(String id, String description, Verdict verdict, Script script, boolean handshake) {

        /** The same case on a connection where nothing was sent yet. */
        Case withoutHandshake() {
            return new Case(id, description, verdict, script, false);
        }

        @Override
        public String toString() {
            return id + " " + description + " [" + verdict + "]";
        }
    }

    /** A case of h2spec's "http2" group, of RFC 9113 (its RFC 7540 numbering), such as {@code 6.5.2/1}. */
    static Case http2(String id, String description, Verdict verdict, Script script) {
        return new Case("http2/" + id, description, verdict, script, true);
    }

    /** A case of h2spec's "generic" group: what a server must accept. */
    static Case generic(String id, String description, Verdict verdict, Script script) {
        return new Case("generic/" + id, description, verdict, script, true);
    }

    /** A case of h2spec's "hpack" group, of RFC 7541. */
    static Case hpack(String id, String description, Verdict verdict, Script script) {
        return new Case("hpack/" + id, description, verdict, script, true);
    }

    // ---- Scripts that several cases share

    /** The client preface and SETTINGS with INITIAL_WINDOW_SIZE 65,535, on a connection where nothing was sent. */
    static void sendClientPreface(H2Peer peer) throws IOException {
        peer.sendPreface().sendSettings(setting(Http2Settings.INITIAL_WINDOW_SIZE, 65_535));
    }

    /** A GET on stream 1 whose header block has these octets before and after h2spec's request fields. */
    static Script getWithin(byte[] before, byte[] after) {
        return peer -> peer.sendHeadersBlock(1, true, true, concat(before, peer.encodeBlock(request("GET")), after));
    }

    /** h2spec's dummy field in a CONTINUATION frame. */
    static H2Peer sendDummyContinuation(H2Peer peer, int streamId, boolean endHeaders) throws IOException {
        return peer.sendContinuation(streamId, endHeaders, peer.encodeBlock(dummyHeaders(1)));
    }

    // ---- Verdicts, named for the display names

    /** The server's first frame is its preface: a SETTINGS frame, not an ACK. */
    static Verdict settingsFirst() {
        return new Verdict("SETTINGS first", peer -> assertThat(peer.next(WAIT))
                .isInstanceOfSatisfying(H2Frame.Settings.class, settings -> assertThat(settings.ack()).isFalse()));
    }

    /** {@link #connectionError}: a GOAWAY with one of the codes, then the connection closes. */
    static Verdict goAway(ErrorCode... codes) {
        return new Verdict("connection error " + names(codes), peer -> connectionError(peer, codes));
    }

    /** {@link #streamError}: a RST_STREAM of the stream, or a GOAWAY, with one of the codes. */
    static Verdict reset(int streamId, ErrorCode... codes) {
        return new Verdict("stream error " + names(codes), peer -> streamError(peer, streamId, codes));
    }

    /** The frames were ignored: a PING sent now is answered. */
    static Verdict goesOn() {
        return new Verdict("ignored: a PING is answered", peer -> {
            peer.sendPing(0);
            pingAck(peer, 0);
        });
    }

    /** {@link #pingAck}: the first PING is the ACK of one with this payload. */
    static Verdict pingAnswered(long data) {
        return new Verdict("PING ACK", peer -> pingAck(peer, data));
    }

    /** {@link #pingAckOrClose}: the ACK of a PING with this payload, or an orderly close. */
    static Verdict pingAnsweredOrClose(long data) {
        return new Verdict("PING ACK or close", peer -> pingAckOrClose(peer, data));
    }

    /** {@link #settingsAck}: the first SETTINGS is an ACK. */
    static Verdict settingsAcknowledged() {
        return new Verdict("SETTINGS ACK", H2Spec::settingsAck);
    }

    /** {@link #headers}: the first HEADERS answers stream 1. */
    static Verdict answered() {
        return new Verdict("HEADERS", peer -> headers(peer, 1));
    }

    /** The answer to stream 1 has this status and body. */
    static Verdict response(int status, String body) {
        return new Verdict(status + " with its body", peer -> {
            H2Peer.Response response = peer.response(1, WAIT);
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.bodyText()).isEqualTo(body);
        });
    }

    /** A DATA frame comes. */
    static Verdict data() {
        return new Verdict("DATA", peer -> first(peer, H2Frame.Data.class));
    }

    /** The first DATA frame has this length. */
    static Verdict data(int length) {
        return new Verdict("DATA of " + length + " octet(s)",
                peer -> assertThat(first(peer, H2Frame.Data.class).length()).isEqualTo(length));
    }

    /** {@link #connectionClose}: an orderly close, whatever came first. */
    static Verdict closes() {
        return new Verdict("connection close", H2Spec::connectionClose);
    }

    /** The first GOAWAY has this code, whatever follows. */
    static Verdict firstGoAway(ErrorCode code) {
        return new Verdict("GOAWAY " + code, peer -> assertThat(first(peer, H2Frame.GoAway.class).error()).isEqualTo(code));
    }

    private static String names(ErrorCode... codes) {
        return Arrays.stream(codes).map(ErrorCode::name).collect(Collectors.joining(" or "));
    }

    // ---- h2spec's connection and fields

    static Http2Settings.Setting setting(int identifier, long value) {
        return new Http2Settings.Setting(identifier, value);
    }

    /**
     * h2spec's handshake: the preface and SETTINGS with INITIAL_WINDOW_SIZE 65,535, then the
     * server's SETTINGS (acknowledged by the peer) and the ACK of ours; what came before is dropped.
     */
    private static H2Peer handshake(int port) throws IOException {
        H2Peer peer = H2Peer.connect(port, List.of(setting(Http2Settings.INITIAL_WINDOW_SIZE, 65_535)));
        boolean local = false;
        boolean remote = false;
        while (!(local && remote)) {
            if (peer.next(WAIT) instanceof H2Frame.Settings settings) {
                local |= settings.ack();
                remote |= !settings.ack();
            }
        }
        return peer;
    }

    /** h2spec's common request fields, {@code :path} {@code /}, with this method. */
    static String[] request(String method) {
        return new String[] {":method", method, ":scheme", "http", ":path", "/", ":authority", "localhost"};
    }

    /** {@link #request} and more fields after them. */
    static String[] request(String method, String... more) {
        return append(request(method), more);
    }

    /**
     * A POST to {@code /echo}, which {@link EchoBody} answers with the body. h2spec POSTs to its
     * path, {@code /} by default, which the static files answer with 405 once the body is in:
     * the same frames, up to the answer.
     */
    static String[] post(String... more) {
        return append(new String[] {":method", "POST", ":scheme", "http", ":path", "/echo", ":authority", "localhost"}, more);
    }

    /** h2spec's {@code DummyHeaders}: {@code x-dummy0}... of {@link #MAX_HEADER_LENGTH} x's each. */
    static String[] dummyHeaders(int count) {
        String[] fields = new String[2 * count];
        for (int i = 0; i < count; i++) {
            fields[2 * i] = "x-dummy" + i;
            fields[2 * i + 1] = "x".repeat(MAX_HEADER_LENGTH);
        }
        return fields;
    }

    /** These fields, then more. */
    static String[] append(String[] fields, String... more) {
        String[] all = Arrays.copyOf(fields, fields.length + more.length);
        System.arraycopy(more, 0, all, fields.length, more.length);
        return all;
    }

    /** A dynamic table size update (RFC 7541 §6.3): 001 and the size as an integer of 5-bit prefix. */
    static byte[] tableSizeUpdate(long size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (size < 31) {
            out.write(0x20 | (int) size);
        } else {
            out.write(0x20 | 31);
            for (size -= 31; size >= 128; size >>>= 7) {
                out.write(0x80 | (int) (size & 0x7f));
            }
            out.write((int) size);
        }
        return out.toByteArray();
    }

    /** h2spec's PING payloads are short strings, zero-padded to 8 octets. */
    static long pingData(String text) {
        long data = 0;
        byte[] bytes = Arrays.copyOf(ascii(text), 8);
        for (byte b : bytes) {
            data = data << 8 | (b & 0xff);
        }
        return data;
    }

    // ---- Verdicts, after h2spec's spec/verifier.go

    /** {@code VerifyConnectionError}: a GOAWAY with one of the codes, then the connection closes. */
    static void connectionError(H2Peer peer, ErrorCode... codes) {
        List<H2Frame> skipped = new ArrayList<>();
        while (true) {
            H2Frame frame = peer.next(WAIT);
            if (frame instanceof H2Frame.GoAway goAway) {
                assertThat(goAway.error()).as("GOAWAY after %s", skipped).isIn((Object[]) codes);
                connectionClose(peer);
                return;
            }
            if (frame instanceof H2Frame.Closed || frame instanceof H2Frame.ParseError) {
                fail("Expected GOAWAY %s, the server sent %s then %s", Arrays.toString(codes), skipped, frame);
            }
            skipped.add(frame);
        }
    }

    /**
     * {@code VerifyStreamError}: a RST_STREAM of the stream with one of the codes, or a GOAWAY with
     * one of them (§5.4.1 allows any stream error to be treated as a connection error).
     */
    static void streamError(H2Peer peer, int streamId, ErrorCode... codes) {
        List<H2Frame> skipped = new ArrayList<>();
        while (true) {
            H2Frame frame = peer.next(WAIT);
            if (frame instanceof H2Frame.RstStream reset && reset.streamId() == streamId) {
                assertThat(reset.error()).as("RST_STREAM after %s", skipped).isIn((Object[]) codes);
                return;
            }
            if (frame instanceof H2Frame.GoAway goAway) {
                assertThat(goAway.error()).as("GOAWAY after %s", skipped).isIn((Object[]) codes);
                return;
            }
            if (frame instanceof H2Frame.Closed || frame instanceof H2Frame.ParseError) {
                fail("Expected RST_STREAM or GOAWAY %s, the server sent %s then %s", Arrays.toString(codes), skipped, frame);
            }
            skipped.add(frame);
        }
    }

    /** {@code VerifyStreamClose}: the stream ends, with END_STREAM or RST_STREAM(NO_ERROR). */
    static void streamClose(H2Peer peer, int streamId) {
        while (true) {
            H2Frame frame = peer.next(WAIT);
            boolean ended = frame instanceof H2Frame.Data data && data.streamId() == streamId && data.endStream()
                    || frame instanceof H2Frame.Headers headers && headers.streamId() == streamId && headers.endStream()
                    || frame instanceof H2Frame.RstStream reset && reset.streamId() == streamId && reset.error() == ErrorCode.NO_ERROR;
            if (ended) {
                return;
            }
            if (frame instanceof H2Frame.Closed || frame instanceof H2Frame.ParseError || frame instanceof H2Frame.RstStream
                    || frame instanceof H2Frame.GoAway) {
                fail("Expected stream %d to end, the server sent %s", streamId, frame);
            }
        }
    }

    /**
     * {@code VerifyConnectionClose}: the server closes the connection, whatever it sent first, and
     * in order: h2spec takes a reset for an error, not a close.
     */
    static void connectionClose(H2Peer peer) {
        List<H2Frame> skipped = new ArrayList<>();
        while (true) {
            H2Frame frame = peer.next(WAIT);
            if (frame instanceof H2Frame.Closed closed) {
                assertThat(closed.reset()).as("the connection was reset (%s) after %s", closed.cause(), skipped).isFalse();
                return;
            }
            skipped.add(frame);
        }
    }

    /** {@code WaitEventByType}: the first frame of this type, the others before it dropped. */
    static <T extends H2Frame> T first(H2Peer peer, Class<T> type) {
        List<H2Frame> skipped = new ArrayList<>();
        while (true) {
            H2Frame frame = peer.next(WAIT);
            if (type.isInstance(frame)) {
                return type.cast(frame);
            }
            if (frame instanceof H2Frame.Closed || frame instanceof H2Frame.ParseError) {
                fail("Expected a %s, the server sent %s then %s", type.getSimpleName(), skipped, frame);
            }
            skipped.add(frame);
        }
    }

    /** {@code VerifyPingFrameWithAck}: the first PING is the ACK of this one. */
    static void pingAck(H2Peer peer, long data) {
        H2Frame.Ping ping = first(peer, H2Frame.Ping.class);
        assertThat(ping).isEqualTo(new H2Frame.Ping(data, true));
    }

    /** {@code VerifyPingFrameOrConnectionClose}: the ACK of this PING, or the connection closes. */
    static void pingAckOrClose(H2Peer peer, long data) {
        while (true) {
            H2Frame frame = peer.next(WAIT);
            if (frame instanceof H2Frame.Closed closed) {
                assertThat(closed.reset()).as("the connection was reset: %s", closed.cause()).isFalse();
                return;
            }
            if (frame instanceof H2Frame.Ping ping && ping.ack() && ping.data() == data) {
                return;
            }
            if (frame instanceof H2Frame.ParseError) {
                fail("The server sent what cannot be parsed: %s", frame);
            }
        }
    }

    /** {@code VerifySettingsFrameWithAck}: the first SETTINGS is an ACK. */
    static void settingsAck(H2Peer peer) {
        assertThat(first(peer, H2Frame.Settings.class).ack()).as("the first SETTINGS is an ACK").isTrue();
    }

    /** {@code VerifyHeadersFrame}: the first HEADERS is on this stream. */
    static void headers(H2Peer peer, int streamId) {
        assertThat(first(peer, H2Frame.Headers.class).streamId()).as("the stream of the first HEADERS").isEqualTo(streamId);
    }
}
