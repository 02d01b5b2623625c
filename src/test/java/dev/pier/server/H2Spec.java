package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.pier.http2.ErrorCode;
import dev.pier.http2.Http2Settings;
import dev.pier.test.H2Frame;
import dev.pier.test.H2Peer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the conformance tests share, after h2spec (summerwind/h2spec), whose cases they replay: a
 * server with a small {@code index.html} and {@link EchoBody} for DATA, h2spec's handshake and
 * request fields, and its verdicts (its {@code spec/verifier.go}).
 *
 * <p>Like h2spec's, a verdict reads the server's frames in order and drops those it skips. Each is
 * a little stricter: where h2spec also passes a bare close, or reads on past a RST_STREAM or GOAWAY
 * with another code, these want the first such frame to carry the code. A close must be orderly,
 * as in h2spec, which reports a reset connection as an error.
 */
final class H2Spec {

    /** h2spec waits 2 s for each frame; a loaded machine gets a little more. */
    static final Duration WAIT = Duration.ofSeconds(3);

    /** Longer than 5 octets, which h2spec's flow-control cases need from {@code GET /}. */
    static final String INDEX = "<!doctype html><title>Pier</title><p>It works.</p>\n";

    /** h2spec's {@code -max-header-length} default: each of its dummy fields' value. */
    static final int MAX_HEADER_LENGTH = 4000;

    private H2Spec() {
    }

    static RunningServer start(Path root) throws IOException {
        Files.writeString(root.resolve("index.html"), INDEX);
        return RunningServer.start(root, new EchoBody());
    }

    /**
     * h2spec's handshake: the preface and SETTINGS with INITIAL_WINDOW_SIZE 65,535, then the
     * server's SETTINGS (acknowledged by the peer) and the ACK of ours; what came before is dropped.
     */
    static H2Peer handshake(int port) throws IOException {
        H2Peer peer = H2Peer.connect(port, List.of(new Http2Settings.Setting(Http2Settings.INITIAL_WINDOW_SIZE, 65_535)));
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
        return concat(request(method), more);
    }

    /**
     * A POST to {@code /echo}, which {@link EchoBody} answers with the body. h2spec POSTs to its
     * path, {@code /} by default, which the static files answer with 405 once the body is in:
     * the same frames, up to the answer.
     */
    static String[] post(String... more) {
        return concat(new String[] {":method", "POST", ":scheme", "http", ":path", "/echo", ":authority", "localhost"}, more);
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

    static String[] concat(String[] first, String... second) {
        String[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    static byte[] bytes(int... octets) {
        byte[] bytes = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            bytes[i] = (byte) octets[i];
        }
        return bytes;
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

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
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
