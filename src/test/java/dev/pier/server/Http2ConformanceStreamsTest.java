package dev.pier.server;

import static dev.pier.server.H2Spec.ascii;
import static dev.pier.server.H2Spec.bytes;
import static dev.pier.server.H2Spec.concat;
import static dev.pier.server.H2Spec.connectionClose;
import static dev.pier.server.H2Spec.connectionError;
import static dev.pier.server.H2Spec.dummyHeaders;
import static dev.pier.server.H2Spec.pingAck;
import static dev.pier.server.H2Spec.request;
import static dev.pier.server.H2Spec.streamClose;
import static dev.pier.server.H2Spec.streamError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http2.ErrorCode;
import dev.pier.http2.Flags;
import dev.pier.http2.FrameType;
import dev.pier.http2.Http2Settings;
import dev.pier.test.H2Frame;
import dev.pier.test.H2Peer;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * h2spec's "http2" cases of RFC 9113 §5 (stream states, identifiers, concurrency, dependencies,
 * connection errors, extensions) and §7 (unknown error codes).
 */
@Timeout(20)
class Http2ConformanceStreamsTest {

    /** h2spec's unknown frame: type 0x16, 8 octets, stream 0. */
    private static final int UNKNOWN_TYPE = 0x16;

    @TempDir
    static Path root;

    private static RunningServer server;

    @BeforeAll
    static void start() throws IOException {
        server = H2Spec.start(root);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static H2Peer handshake() throws IOException {
        return H2Spec.handshake(server.port());
    }

    // ---- 5.1 Stream States

    @Test
    void whenDataComesOnAnIdleStreamThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendData(1, ascii("test"), true);
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenRstStreamComesOnAnIdleStreamThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendRstStream(1, ErrorCode.CANCEL);
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenWindowUpdateComesOnAnIdleStreamThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendWindowUpdate(1, 100);
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenContinuationComesOnAnIdleStreamThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendContinuation(1, true, peer.encodeBlock(request("GET")));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenDataComesOnAHalfClosedRemoteStreamThenItIsResetWithStreamClosed() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, true, request("GET"));
            peer.sendData(1, ascii("test"), true);
            streamError(peer, 1, ErrorCode.STREAM_CLOSED);
        }
    }

    @Test
    void whenHeadersComeOnAHalfClosedRemoteStreamThenItIsResetWithStreamClosed() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, true, request("GET"));
            peer.sendHeaders(1, true, request("GET"));
            streamError(peer, 1, ErrorCode.STREAM_CLOSED);
        }
    }

    @Test
    void whenContinuationComesOnAHalfClosedRemoteStreamThenItIsAStreamClosedOrProtocolError() throws IOException {
        try (H2Peer peer = handshake()) {
            byte[] block = peer.encodeBlock(request("GET"));
            peer.sendHeadersBlock(1, true, true, block);
            peer.sendContinuation(1, true, block);
            streamError(peer, 1, ErrorCode.STREAM_CLOSED, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenDataComesAfterTheClientResetTheStreamThenItIsResetWithStreamClosed() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, request("GET"));
            peer.sendRstStream(1, ErrorCode.CANCEL);
            peer.sendData(1, ascii("test"), true);
            streamError(peer, 1, ErrorCode.STREAM_CLOSED);
        }
    }

    @Test
    void whenHeadersComeAfterTheClientResetTheStreamThenItIsAStreamClosedError() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, request("GET"));
            peer.sendRstStream(1, ErrorCode.CANCEL);
            peer.sendHeaders(1, true, request("GET"));
            streamError(peer, 1, ErrorCode.STREAM_CLOSED);
        }
    }

    @Test
    void whenContinuationComesAfterTheClientResetTheStreamThenItIsAStreamClosedOrProtocolError() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, request("GET"));
            peer.sendRstStream(1, ErrorCode.CANCEL);
            peer.sendContinuation(1, true, peer.encodeBlock(dummyHeaders(1)));
            streamError(peer, 1, ErrorCode.STREAM_CLOSED, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenDataComesOnAClosedStreamThenItIsResetWithStreamClosed() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, true, request("GET"));
            streamClose(peer, 1);
            peer.sendData(1, ascii("test"), true);
            streamError(peer, 1, ErrorCode.STREAM_CLOSED);
        }
    }

    @Test
    void whenHeadersComeOnAClosedStreamThenStreamClosedClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            byte[] block = peer.encodeBlock(request("GET"));
            peer.sendHeadersBlock(1, true, true, block);
            streamClose(peer, 1);
            peer.sendHeadersBlock(1, true, true, block);
            connectionError(peer, ErrorCode.STREAM_CLOSED);
        }
    }

    @Test
    void whenContinuationComesOnAClosedStreamThenTheConnectionCloses() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, true, request("GET"));
            streamClose(peer, 1);
            peer.sendContinuation(1, true, peer.encodeBlock(dummyHeaders(1)));
            connectionError(peer, ErrorCode.STREAM_CLOSED, ErrorCode.PROTOCOL_ERROR);
        }
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
            assertThat(peer.response(1, H2Spec.WAIT).status()).isEqualTo(413);
            peer.sendData(1, ascii("test"), false);
            peer.sendHeadersBlock(1, true, true, concat(bytes(0x40, 6), ascii("x-test"), bytes(2), ascii("ok")));
            peer.sendHeadersBlock(3, true, true, concat(bytes(0x82, 0x86, 0x84), localhost, bytes(0xbe)));
            assertThat(peer.response(3, H2Spec.WAIT).status()).isEqualTo(200);
        }
    }

    // ---- 5.1.1 Stream Identifiers

    @Test
    void whenAStreamIdIsEvenThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(2, true, request("GET"));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenAStreamIdIsSmallerThanAPreviousOneThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(5, true, request("GET"));
            peer.sendHeaders(3, true, request("GET"));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    // ---- 5.1.2 Stream Concurrency

    @Test
    void whenMoreStreamsOpenThanAdvertisedThenTheOneTooManyIsRefused() throws IOException {
        try (H2Peer peer = handshake()) {
            long maxStreams = peer.serverSettings().maxConcurrentStreams();
            assertThat(maxStreams).as("SETTINGS_MAX_CONCURRENT_STREAMS, without which h2spec skips the case").isLessThan(0xffff_ffffL);
            // A window of 0 keeps every response from ending, so the streams stay open.
            peer.sendSettings(new Http2Settings.Setting(Http2Settings.INITIAL_WINDOW_SIZE, 0));
            byte[] block = peer.encodeBlock(request("GET"));
            int streamId = 1;
            for (int i = 0; i <= maxStreams; i++) {
                peer.sendHeadersBlock(streamId, true, true, block);
                streamId += 2;
            }
            streamError(peer, streamId - 2, ErrorCode.PROTOCOL_ERROR, ErrorCode.REFUSED_STREAM);
        }
    }

    // ---- 5.3.1 Stream Dependencies

    @Test
    void whenHeadersMakeAStreamDependOnItselfThenItIsAProtocolError() throws IOException {
        try (H2Peer peer = handshake()) {
            byte[] priority = bytes(0, 0, 0, 1, 255);
            peer.sendFrame(FrameType.HEADERS.code(), Flags.END_STREAM | Flags.END_HEADERS | Flags.PRIORITY, 1,
                    concat(priority, peer.encodeBlock(request("GET"))));
            streamError(peer, 1, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenPriorityMakesAStreamDependOnItselfThenItIsResetWithProtocolError() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendPriority(1, 1, 256);
            streamError(peer, 1, ErrorCode.PROTOCOL_ERROR);
        }
    }

    // ---- 5.4.1 Connection Error Handling

    @Test
    void whenAConnectionErrorOccursThenTheServerClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendFrame(FrameType.PING.code(), 0, 3, new byte[8]);
            connectionClose(peer);
        }
    }

    @Test
    void whenAConnectionErrorOccursThenGoAwayComesFirst() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendFrame(FrameType.PING.code(), 0, 3, new byte[8]);
            assertThat(H2Spec.first(peer, H2Frame.GoAway.class).error()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
        }
    }

    // ---- 5.5 Extending HTTP/2

    @Test
    void whenAnUnknownExtensionFrameComesThenItIsIgnored() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendFrame(UNKNOWN_TYPE, 0, 0, new byte[8]);
            peer.sendPing(0);
            pingAck(peer, 0);
        }
    }

    @Test
    void whenAnUnknownExtensionFrameComesInsideAHeaderBlockThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeadersBlock(1, true, false, peer.encodeBlock(request("GET")));
            peer.sendFrame(UNKNOWN_TYPE, 0, 0, new byte[8]);
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    // ---- 7 Error Codes

    @Test
    void whenTheClientGoesAwayWithAnUnknownCodeThenThePingIsAnsweredOrTheConnectionCloses() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendFrame(FrameType.GOAWAY.code(), 0, 0, bytes(0, 0, 0, 0, 0, 0, 0, 0xff));
            long data = H2Spec.pingData("h2spec");
            peer.sendPing(data);
            H2Spec.pingAckOrClose(peer, data);
        }
    }

    @Test
    void whenTheClientResetsAStreamWithAnUnknownCodeThenNothingSpecialHappens() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, H2Spec.post());
            peer.sendFrame(FrameType.RST_STREAM.code(), 0, 1, bytes(0, 0, 0, 0xff));
            peer.sendPing(0);
            pingAck(peer, 0);
        }
    }
}
