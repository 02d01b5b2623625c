package dev.pier.server;

import static dev.pier.http2.ErrorCode.CANCEL;
import static dev.pier.http2.ErrorCode.PROTOCOL_ERROR;
import static dev.pier.http2.ErrorCode.REFUSED_STREAM;
import static dev.pier.http2.ErrorCode.STREAM_CLOSED;
import static dev.pier.test.Octets.ascii;
import static dev.pier.test.Octets.bytes;
import static dev.pier.test.Octets.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http2.Flags;
import dev.pier.http2.FrameType;
import dev.pier.http2.Http2Settings;
import dev.pier.test.H2Peer;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * h2spec's "http2" cases of RFC 9113 §5 (stream states, identifiers, concurrency, dependencies,
 * connection errors, extensions) and §7 (unknown error codes), and one of Pier's own.
 */
class Http2ConformanceStreamsTest extends H2Spec {

    @Override
    Stream<Case> cases() {
        return Stream.of(
                // ---- 5.1 Stream States
                http2("5.1/1", "idle: Sends a DATA frame", goAway(PROTOCOL_ERROR), peer -> peer.sendData(1, ascii("test"), true)),
                http2("5.1/2", "idle: Sends a RST_STREAM frame", goAway(PROTOCOL_ERROR), peer -> peer.sendRstStream(1, CANCEL)),
                http2("5.1/3", "idle: Sends a WINDOW_UPDATE frame", goAway(PROTOCOL_ERROR), peer -> peer.sendWindowUpdate(1, 100)),
                http2("5.1/4", "idle: Sends a CONTINUATION frame", goAway(PROTOCOL_ERROR),
                        peer -> peer.sendContinuation(1, true, peer.encodeBlock(request("GET")))),
                http2("5.1/5", "half closed (remote): Sends a DATA frame", reset(1, STREAM_CLOSED),
                        peer -> peer.sendHeaders(1, true, request("GET")).sendData(1, ascii("test"), true)),
                http2("5.1/6", "half closed (remote): Sends a HEADERS frame", reset(1, STREAM_CLOSED),
                        peer -> peer.sendHeaders(1, true, request("GET")).sendHeaders(1, true, request("GET"))),
                http2("5.1/7", "half closed (remote): Sends a CONTINUATION frame", reset(1, STREAM_CLOSED, PROTOCOL_ERROR), peer -> {
                    byte[] block = peer.encodeBlock(request("GET"));
                    peer.sendHeadersBlock(1, true, true, block).sendContinuation(1, true, block);
                }),
                http2("5.1/8", "closed: Sends a DATA frame after sending RST_STREAM frame", reset(1, STREAM_CLOSED),
                        peer -> openAndReset(peer).sendData(1, ascii("test"), true)),
                http2("5.1/9", "closed: Sends a HEADERS frame after sending RST_STREAM frame", reset(1, STREAM_CLOSED),
                        peer -> openAndReset(peer).sendHeaders(1, true, request("GET"))),
                http2("5.1/10", "closed: Sends a CONTINUATION frame after sending RST_STREAM frame",
                        reset(1, STREAM_CLOSED, PROTOCOL_ERROR), peer -> sendDummyContinuation(openAndReset(peer), 1, true)),
                http2("5.1/11", "closed: Sends a DATA frame", reset(1, STREAM_CLOSED),
                        peer -> getAndItsEnd(peer).sendData(1, ascii("test"), true)),
                http2("5.1/12", "closed: Sends a HEADERS frame", goAway(STREAM_CLOSED), peer -> {
                    byte[] block = peer.encodeBlock(request("GET"));
                    peer.sendHeadersBlock(1, true, true, block);
                    streamClose(peer, 1);
                    peer.sendHeadersBlock(1, true, true, block);
                }),
                http2("5.1/13", "closed: Sends a CONTINUATION frame", goAway(STREAM_CLOSED, PROTOCOL_ERROR),
                        peer -> sendDummyContinuation(getAndItsEnd(peer), 1, true)),

                // ---- 5.1.1 Stream Identifiers
                http2("5.1.1/1", "Sends even-numbered stream identifier", goAway(PROTOCOL_ERROR),
                        peer -> peer.sendHeaders(2, true, request("GET"))),
                http2("5.1.1/2", "Sends stream identifier that is numerically smaller than previous", goAway(PROTOCOL_ERROR),
                        peer -> peer.sendHeaders(5, true, request("GET")).sendHeaders(3, true, request("GET"))),

                // ---- 5.1.2 Stream Concurrency
                http2("5.1.2/1", "Sends HEADERS frames that causes their advertised concurrent stream limit to be exceeded",
                        oneStreamTooManyRefused(), Http2ConformanceStreamsTest::openOneStreamTooMany),

                // ---- 5.3.1 Stream Dependencies
                http2("5.3.1/1", "Sends HEADERS frame that depends on itself", reset(1, PROTOCOL_ERROR), peer -> {
                    byte[] priority = bytes(0, 0, 0, 1, 255);
                    peer.sendFrame(FrameType.HEADERS.code(), Flags.END_STREAM | Flags.END_HEADERS | Flags.PRIORITY, 1,
                            concat(priority, peer.encodeBlock(request("GET"))));
                }),
                http2("5.3.1/2", "Sends PRIORITY frame that depend on itself", reset(1, PROTOCOL_ERROR),
                        peer -> peer.sendPriority(1, 1, 256)),

                // ---- 5.4.1 Connection Error Handling
                http2("5.4.1/1", "Sends an invalid PING frame for connection close", closes(),
                        peer -> peer.sendFrame(FrameType.PING.code(), 0, 3, new byte[8])),
                http2("5.4.1/2", "Sends an invalid PING frame to receive GOAWAY frame", firstGoAway(PROTOCOL_ERROR),
                        peer -> peer.sendFrame(FrameType.PING.code(), 0, 3, new byte[8])),

                // ---- 5.5 Extending HTTP/2
                http2("5.5/1", "Sends an unknown extension frame", goesOn(), peer -> peer.sendFrame(UNKNOWN_FRAME_TYPE, 0, 0, new byte[8])),
                http2("5.5/2", "Sends an unknown extension frame in the middle of a header block", goAway(PROTOCOL_ERROR),
                        peer -> peer.sendHeadersBlock(1, true, false, peer.encodeBlock(request("GET")))
                                .sendFrame(UNKNOWN_FRAME_TYPE, 0, 0, new byte[8])),

                // ---- 7 Error Codes
                http2("7/1", "Sends a GOAWAY frame with unknown error code", pingAnsweredOrClose(H2SPEC_PING),
                        peer -> peer.sendFrame(FrameType.GOAWAY.code(), 0, 0, bytes(0, 0, 0, 0, 0, 0, 0, 0xff)).sendPing(H2SPEC_PING)),
                http2("7/2", "Sends a RST_STREAM frame with unknown error code", goesOn(),
                        peer -> peer.sendHeaders(1, false, post()).sendFrame(FrameType.RST_STREAM.code(), 0, 1, bytes(0, 0, 0, 0xff))));
    }

    /** A GET on stream 1, left open, then reset by the client. */
    private static H2Peer openAndReset(H2Peer peer) throws IOException {
        return peer.sendHeaders(1, false, request("GET")).sendRstStream(1, CANCEL);
    }

    /** A GET on stream 1, and the end of its answer. */
    private static H2Peer getAndItsEnd(H2Peer peer) throws IOException {
        peer.sendHeaders(1, true, request("GET"));
        streamClose(peer, 1);
        return peer;
    }

    /** With windows of 0, which keep every response open, one GET more than SETTINGS_MAX_CONCURRENT_STREAMS allows. */
    private static void openOneStreamTooMany(H2Peer peer) throws IOException {
        long maxStreams = peer.serverSettings().maxConcurrentStreams();
        assertThat(maxStreams).as("SETTINGS_MAX_CONCURRENT_STREAMS, without which h2spec skips the case").isLessThan(0xffff_ffffL);
        peer.sendSettings(setting(Http2Settings.INITIAL_WINDOW_SIZE, 0));
        byte[] block = peer.encodeBlock(request("GET"));
        for (int i = 0, streamId = 1; i <= maxStreams; i++, streamId += 2) {
            peer.sendHeadersBlock(streamId, true, true, block);
        }
    }

    /** A stream error on the stream {@link #openOneStreamTooMany} opened last. */
    private static Verdict oneStreamTooManyRefused() {
        return new Verdict("stream error PROTOCOL_ERROR or REFUSED_STREAM", peer -> {
            int lastStreamId = 1 + 2 * (int) peer.serverSettings().maxConcurrentStreams();
            streamError(peer, lastStreamId, PROTOCOL_ERROR, REFUSED_STREAM);
        });
    }

    /**
     * Not h2spec's, but §5.1 "closed" and §4.3: a stream answered early is reset with NO_ERROR,
     * and the trailers the client had sent meanwhile are decoded, for HPACK, and ignored. Raw
     * blocks make the check: the trailers' field enters the dynamic table, and only there can the
     * next request find the index it ends with.
     */
    @Test
    void whenTrailersComeOnAStreamTheServerResetThenTheyAreDecodedAndIgnored() throws IOException {
        byte[] localhost = concat(bytes(0x01, 9), ascii("localhost")); // :authority, without indexing
        try (H2Peer peer = handshake()) {
            // POST /echo of more than the body limit: answered 413 at once, without indexing anything.
            peer.sendHeadersBlock(1, false, true, concat(bytes(0x83, 0x86, 0x04, 5), ascii("/echo"), localhost,
                    bytes(0x0f, 0x0d, 7), ascii("2000000")));
            assertThat(peer.response(1, WAIT).status()).isEqualTo(413);
            peer.sendData(1, ascii("test"), false);
            peer.sendHeadersBlock(1, true, true, concat(bytes(0x40, 6), ascii("x-test"), bytes(2), ascii("ok")));
            peer.sendHeadersBlock(3, true, true, concat(bytes(0x82, 0x86, 0x84), localhost, bytes(0xbe)));
            assertThat(peer.response(3, WAIT).status()).isEqualTo(200);
        }
    }
}
