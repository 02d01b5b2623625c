package dev.pier.server;

import static dev.pier.server.H2Spec.ascii;
import static dev.pier.server.H2Spec.bytes;
import static dev.pier.server.H2Spec.concat;
import static dev.pier.server.H2Spec.connectionError;
import static dev.pier.server.H2Spec.dummyHeaders;
import static dev.pier.server.H2Spec.first;
import static dev.pier.server.H2Spec.pingAck;
import static dev.pier.server.H2Spec.post;
import static dev.pier.server.H2Spec.request;
import static dev.pier.server.H2Spec.settingsAck;
import static dev.pier.server.H2Spec.streamError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http2.ErrorCode;
import dev.pier.http2.Flags;
import dev.pier.http2.FrameType;
import dev.pier.http2.Http2Settings;
import dev.pier.test.H2Frame;
import dev.pier.test.H2Peer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * h2spec's "http2" cases of RFC 9113 §3.4 (the connection preface), §4 (frame format and size,
 * header blocks) and §6 (each frame type).
 */
@Timeout(20)
class Http2ConformanceFramesTest {

    /** h2spec's unknown frame type. */
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

    private static Http2Settings.Setting setting(int identifier, long value) {
        return new Http2Settings.Setting(identifier, value);
    }

    // ---- 3.5 HTTP/2 Connection Preface (RFC 9113 §3.4)

    @Test
    void whenTheClientSendsItsPrefaceThenTheServerPrefaceIsSettingsFirst() throws IOException {
        try (H2Peer peer = H2Peer.raw(server.port())) {
            peer.sendPreface().sendSettings(setting(Http2Settings.INITIAL_WINDOW_SIZE, 65_535));
            H2Frame frame = peer.next(H2Spec.WAIT);
            assertThat(frame).isInstanceOf(H2Frame.Settings.class);
            assertThat(((H2Frame.Settings) frame).ack()).isFalse();
        }
    }

    /**
     * On a cleartext port that also speaks HTTP/1.1 these bytes are an HTTP/1.1 request, answered
     * 400 before the close (RFC 9112 §3). h2spec reads that answer as a frame and fails the case
     * (summerwind/h2spec#122); over TLS, where ALPN chose h2, the session's GOAWAY(PROTOCOL_ERROR)
     * and close pass it.
     */
    @Test
    void whenThePrefaceIsInvalidThenTheServerClosesTheConnection() throws IOException {
        try (H2Peer peer = H2Peer.raw(server.port())) {
            peer.sendRaw(ascii("INVALID CONNECTION PREFACE\r\n\r\n"));
            H2Spec.connectionClose(peer);
            assertThat(new String(peer.received(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 400 ");
        }
    }

    // ---- 4.1 Frame Format

    @Test
    void whenAFrameHasAnUnknownTypeThenItIsIgnored() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendFrame(UNKNOWN_TYPE, 0, 0, new byte[8]);
            peer.sendPing(0);
            pingAck(peer, 0);
        }
    }

    @Test
    void whenAFrameHasUndefinedFlagsThenTheyAreIgnored() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendFrame(FrameType.PING.code(), 0x16, 0, new byte[8]);
            pingAck(peer, 0);
        }
    }

    @Test
    void whenAFrameHasTheReservedBitSetThenItIsIgnored() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendFrame(FrameType.PING.code(), 0x16, 0x8000_0000, new byte[8]);
            pingAck(peer, 0);
        }
    }

    // ---- 4.2 Frame Size

    @Test
    void whenADataFrameIsOfTheMaxFrameSizeThenTheRequestIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            byte[] body = new byte[peer.serverSettings().maxFrameSize()];
            Arrays.fill(body, (byte) 'x');
            peer.sendHeaders(1, false, post());
            peer.sendData(1, body, true);
            H2Peer.Response response = peer.response(1, H2Spec.WAIT);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(body);
        }
    }

    @Test
    void whenADataFrameExceedsTheMaxFrameSizeThenItIsAFrameSizeError() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, post());
            peer.sendData(1, new byte[peer.serverSettings().maxFrameSize() + 1], true);
            streamError(peer, 1, ErrorCode.FRAME_SIZE_ERROR);
        }
    }

    @Test
    void whenAHeadersFrameExceedsTheMaxFrameSizeThenFrameSizeErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeadersBlock(1, true, true, peer.encodeBlock(request("GET", dummyHeaders(5))));
            connectionError(peer, ErrorCode.FRAME_SIZE_ERROR);
        }
    }

    // ---- 4.3 Header Compression and Decompression

    @Test
    void whenAHeaderBlockCannotBeDecodedThenCompressionErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            // A literal with incremental indexing that ends before its name.
            peer.sendFrame(FrameType.HEADERS.code(), Flags.END_STREAM | Flags.END_HEADERS, 1, bytes(0x40));
            connectionError(peer, ErrorCode.COMPRESSION_ERROR);
        }
    }

    @Test
    void whenPriorityComesInsideAHeaderBlockThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeadersBlock(1, false, false, peer.encodeBlock(request("GET")));
            peer.sendPriority(1, 0, 256);
            peer.sendContinuation(1, true, peer.encodeBlock(dummyHeaders(1)));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenHeadersOfAnotherStreamComeInsideAHeaderBlockThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeadersBlock(1, false, false, peer.encodeBlock(request("GET")));
            peer.sendHeadersBlock(3, true, true, peer.encodeBlock(request("GET")));
            peer.sendContinuation(1, true, peer.encodeBlock(dummyHeaders(1)));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    // ---- 6.1 DATA

    @Test
    void whenDataComesOnStreamZeroThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendData(0, ascii("test"), true);
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenDataComesOnAStreamNotOpenThenItIsResetWithStreamClosed() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, true, post());
            peer.sendData(1, ascii("test"), true);
            streamError(peer, 1, ErrorCode.STREAM_CLOSED);
        }
    }

    @Test
    void whenDataPaddingIsLongerThanThePayloadThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, post("content-length", "4"));
            peer.sendFrame(FrameType.DATA.code(), Flags.PADDED | Flags.END_STREAM, 1, concat(bytes(6), ascii("Test")));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    // ---- 6.2 HEADERS

    @Test
    void whenPriorityFollowsHeadersWithoutEndHeadersThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeadersBlock(1, false, false, peer.encodeBlock(request("GET")));
            peer.sendPriority(1, 0, 256);
            peer.sendContinuation(1, true, peer.encodeBlock(dummyHeaders(1)));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenHeadersOfAnotherStreamFollowHeadersWithoutEndHeadersThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeadersBlock(1, false, false, peer.encodeBlock(request("GET")));
            peer.sendHeadersBlock(3, true, true, peer.encodeBlock(request("GET")));
            peer.sendContinuation(1, true, peer.encodeBlock(dummyHeaders(1)));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenHeadersComeOnStreamZeroThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(0, true, request("GET"));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenHeadersPaddingIsLongerThanThePayloadThenItIsAProtocolError() throws IOException {
        try (H2Peer peer = handshake()) {
            byte[] block = peer.encodeBlock(request("GET"));
            peer.sendFrame(FrameType.HEADERS.code(), Flags.END_STREAM | Flags.END_HEADERS | Flags.PADDED, 1,
                    concat(bytes(block.length + 2), block));
            streamError(peer, 1, ErrorCode.PROTOCOL_ERROR);
        }
    }

    // ---- 6.3 PRIORITY

    @Test
    void whenPriorityComesOnStreamZeroThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendPriority(0, 0, 256);
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenPriorityIsNotFiveOctetsThenTheStreamIsResetWithFrameSizeError() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, true, request("GET"));
            peer.sendFrame(FrameType.PRIORITY.code(), 0, 1, bytes(0x80, 0, 0, 1));
            streamError(peer, 1, ErrorCode.FRAME_SIZE_ERROR);
        }
    }

    // ---- 6.4 RST_STREAM

    @Test
    void whenRstStreamComesOnStreamZeroThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendRstStream(0, ErrorCode.CANCEL);
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
    void whenRstStreamIsNotFourOctetsThenItIsAFrameSizeError() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, true, request("GET"));
            peer.sendFrame(FrameType.RST_STREAM.code(), 0, 1, new byte[3]);
            streamError(peer, 1, ErrorCode.FRAME_SIZE_ERROR);
        }
    }

    // ---- 6.5 SETTINGS

    @Test
    void whenASettingsAckHasAPayloadThenFrameSizeErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendFrame(FrameType.SETTINGS.code(), Flags.ACK, 0, new byte[1]);
            connectionError(peer, ErrorCode.FRAME_SIZE_ERROR);
        }
    }

    @Test
    void whenSettingsComeOnAStreamThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendFrame(FrameType.SETTINGS.code(), 0, 1, bytes(0, 3, 0, 0, 0, 0x64));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenSettingsAreNotAMultipleOfSixOctetsThenFrameSizeErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendFrame(FrameType.SETTINGS.code(), 0, 0, bytes(0, 3, 0));
            // h2spec also takes PROTOCOL_ERROR; §6.5 names FRAME_SIZE_ERROR.
            connectionError(peer, ErrorCode.FRAME_SIZE_ERROR);
        }
    }

    // ---- 6.5.2 Defined SETTINGS Parameters

    @Test
    void whenEnablePushIsNeitherZeroNorOneThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendSettings(setting(Http2Settings.ENABLE_PUSH, 2));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenTheInitialWindowSizeExceedsTheMaximumThenFlowControlErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendSettings(setting(Http2Settings.INITIAL_WINDOW_SIZE, 1L << 31));
            connectionError(peer, ErrorCode.FLOW_CONTROL_ERROR);
        }
    }

    @Test
    void whenTheMaxFrameSizeIsBelowTheInitialValueThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendSettings(setting(Http2Settings.MAX_FRAME_SIZE, 16_383));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenTheMaxFrameSizeExceedsTheMaximumThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendSettings(setting(Http2Settings.MAX_FRAME_SIZE, 16_777_216));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenASettingIsUnknownThenItIsIgnored() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendSettings(setting(0xff, 1));
            peer.sendPing(0);
            pingAck(peer, 0);
        }
    }

    // ---- 6.5.3 Settings Synchronization

    @Test
    void whenASettingComesTwiceInOneFrameThenTheLastValueHolds() throws IOException {
        try (H2Peer peer = handshake().autoWindowUpdate(false)) {
            peer.sendSettings(setting(Http2Settings.INITIAL_WINDOW_SIZE, 100), setting(Http2Settings.INITIAL_WINDOW_SIZE, 1));
            settingsAck(peer);
            peer.sendHeaders(1, true, request("GET"));
            assertThat(first(peer, H2Frame.Data.class).length()).isEqualTo(1);
        }
    }

    @Test
    void whenSettingsComeThenTheyAreAcknowledged() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendSettings(setting(Http2Settings.ENABLE_PUSH, 0));
            settingsAck(peer);
        }
    }

    // ---- 6.7 PING

    @Test
    void whenAPingComesThenItIsAnsweredWithTheSamePayload() throws IOException {
        try (H2Peer peer = handshake()) {
            long data = H2Spec.pingData("h2spec");
            peer.sendPing(data);
            pingAck(peer, data);
        }
    }

    @Test
    void whenAPingAckComesThenItIsNotAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendPing(H2Spec.pingData("invalid"), true);
            long data = H2Spec.pingData("h2spec");
            peer.sendPing(data);
            pingAck(peer, data);
        }
    }

    @Test
    void whenAPingComesOnAStreamThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendFrame(FrameType.PING.code(), 0, 1, new byte[8]);
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenAPingIsNotEightOctetsThenFrameSizeErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendFrame(FrameType.PING.code(), 0, 0, new byte[6]);
            connectionError(peer, ErrorCode.FRAME_SIZE_ERROR);
        }
    }

    // ---- 6.8 GOAWAY

    @Test
    void whenGoAwayComesOnAStreamThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendFrame(FrameType.GOAWAY.code(), 0, 1, new byte[8]);
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    // ---- 6.9 WINDOW_UPDATE

    @Test
    void whenTheConnectionWindowGrowsByZeroThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendWindowUpdate(0, 0);
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenAStreamWindowGrowsByZeroThenItIsAProtocolError() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, request("GET"));
            peer.sendWindowUpdate(1, 0);
            streamError(peer, 1, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenAWindowUpdateIsNotFourOctetsThenFrameSizeErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendFrame(FrameType.WINDOW_UPDATE.code(), 0, 0, bytes(0, 0, 1));
            connectionError(peer, ErrorCode.FRAME_SIZE_ERROR);
        }
    }

    // ---- 6.9.1 The Flow-Control Window

    @Test
    void whenTheInitialWindowIsOneOctetThenDataComesOneOctetAtATime() throws IOException {
        try (H2Peer peer = handshake().autoWindowUpdate(false)) {
            peer.sendSettings(setting(Http2Settings.INITIAL_WINDOW_SIZE, 1));
            settingsAck(peer);
            peer.sendHeaders(1, true, request("GET"));
            assertThat(first(peer, H2Frame.Data.class).length()).isEqualTo(1);
        }
    }

    @Test
    void whenTheConnectionWindowGrowsAboveTheMaximumThenFlowControlErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendWindowUpdate(0, Integer.MAX_VALUE);
            peer.sendWindowUpdate(0, Integer.MAX_VALUE);
            assertThat(first(peer, H2Frame.GoAway.class).error()).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR);
        }
    }

    @Test
    void whenAStreamWindowGrowsAboveTheMaximumThenTheStreamIsResetWithFlowControlError() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, request("GET"));
            peer.sendWindowUpdate(1, Integer.MAX_VALUE);
            peer.sendWindowUpdate(1, Integer.MAX_VALUE);
            assertThat(first(peer, H2Frame.RstStream.class)).isEqualTo(new H2Frame.RstStream(1, ErrorCode.FLOW_CONTROL_ERROR.code()));
        }
    }

    // ---- 6.9.2 Initial Flow-Control Window Size

    @Test
    void whenTheInitialWindowSizeChangesThenOpenStreamsWindowsChangeWithIt() throws IOException {
        try (H2Peer peer = handshake().autoWindowUpdate(false)) {
            peer.sendSettings(setting(Http2Settings.INITIAL_WINDOW_SIZE, 0));
            settingsAck(peer);
            peer.sendHeaders(1, true, request("GET"));
            peer.sendSettings(setting(Http2Settings.INITIAL_WINDOW_SIZE, 1));
            assertThat(first(peer, H2Frame.Data.class).length()).isEqualTo(1);
        }
    }

    @Test
    void whenTheInitialWindowSizeShrinksAStreamWindowBelowZeroThenNoDataComesUntilItIsPositive() throws IOException {
        try (H2Peer peer = handshake().autoWindowUpdate(false)) {
            peer.sendSettings(setting(Http2Settings.INITIAL_WINDOW_SIZE, 3));
            settingsAck(peer);
            peer.sendHeaders(1, true, request("GET"));
            first(peer, H2Frame.Data.class);
            peer.sendSettings(setting(Http2Settings.INITIAL_WINDOW_SIZE, 2));
            settingsAck(peer);
            peer.sendWindowUpdate(1, 2);
            assertThat(first(peer, H2Frame.Data.class).length()).isEqualTo(1);
        }
    }

    @Test
    void whenTheInitialWindowSizeIsAboveTheMaximumThenFlowControlErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendFrame(FrameType.SETTINGS.code(), 0, 0, bytes(0, 4, 0x80, 0, 0, 0));
            connectionError(peer, ErrorCode.FLOW_CONTROL_ERROR);
        }
    }

    // ---- 6.10 CONTINUATION

    @Test
    void whenHeadersAreFollowedByContinuationsThenTheRequestIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeadersBlock(1, true, false, peer.encodeBlock(request("GET")));
            peer.sendContinuation(1, false, peer.encodeBlock(dummyHeaders(1)));
            peer.sendContinuation(1, true, peer.encodeBlock(dummyHeaders(1)));
            H2Spec.headers(peer, 1);
        }
    }

    @Test
    void whenAContinuationWithoutEndHeadersIsFollowedByDataThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeadersBlock(1, false, false, peer.encodeBlock(post()));
            peer.sendContinuation(1, false, peer.encodeBlock(dummyHeaders(1)));
            peer.sendData(1, ascii("test"), true);
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenAContinuationComesOnStreamZeroThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeadersBlock(1, true, false, peer.encodeBlock(request("GET")));
            peer.sendContinuation(0, true, peer.encodeBlock(dummyHeaders(1)));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenAContinuationFollowsHeadersWithEndHeadersThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeadersBlock(1, true, true, peer.encodeBlock(request("GET")));
            peer.sendContinuation(1, true, peer.encodeBlock(dummyHeaders(1)));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenAContinuationFollowsAContinuationWithEndHeadersThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeadersBlock(1, true, false, peer.encodeBlock(request("GET")));
            peer.sendContinuation(1, true, peer.encodeBlock(dummyHeaders(1)));
            peer.sendContinuation(1, true, peer.encodeBlock(dummyHeaders(1)));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenAContinuationFollowsDataThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeadersBlock(1, false, false, peer.encodeBlock(post()));
            peer.sendData(1, ascii("test"), true);
            peer.sendContinuation(1, false, peer.encodeBlock(dummyHeaders(1)));
            peer.sendContinuation(0, true, peer.encodeBlock(dummyHeaders(1)));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }
}
