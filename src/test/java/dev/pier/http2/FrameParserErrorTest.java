package dev.pier.http2;

import static dev.pier.http2.RawFrames.frame;
import static dev.pier.http2.RawFrames.header;
import static dev.pier.http2.RawFrames.int32;
import static dev.pier.http2.RawFrames.setting;
import static dev.pier.test.Octets.ascii;
import static dev.pier.test.Octets.bytes;
import static dev.pier.test.Octets.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.ByteBuffer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every framing error, with its code and whether it ends the connection or only a stream (RFC
 * 9113 §5.4). Each case also names a fragment of the message, so a case cannot pass by tripping
 * over a different check than the one it is about.
 */
class FrameParserErrorTest {

    private static final int CONNECTION = 0;

    /** An open header block on stream 1, which only a CONTINUATION on stream 1 may follow. */
    private static final byte[] OPEN_BLOCK = frame(FrameType.HEADERS, 0, 1, bytes(0x82));

    static Stream<Arguments> errors() {
        return Stream.of(
                // Frame size (§4.2).
                error("DATA longer than the max frame size", header(16_385, FrameType.DATA.code(), 0, 1), ErrorCode.FRAME_SIZE_ERROR,
                        CONNECTION, "16385 bytes exceeds 16384"),
                error("unknown type longer than the max frame size", header(16_385, RawFrames.UNKNOWN_TYPE, 0, 0),
                        ErrorCode.FRAME_SIZE_ERROR, CONNECTION, "unknown frame type 0xbe"),
                error("padded DATA without room for the pad length", frame(FrameType.DATA, Flags.PADDED, 1, new byte[0]),
                        ErrorCode.FRAME_SIZE_ERROR, CONNECTION, "DATA frame of 0"),
                error("HEADERS without room for its priority fields", frame(FrameType.HEADERS, Flags.PRIORITY | Flags.END_HEADERS, 1,
                        bytes(0, 0, 0, 0)), ErrorCode.FRAME_SIZE_ERROR, CONNECTION, "HEADERS frame of 4"),
                error("RST_STREAM of 3 bytes", frame(FrameType.RST_STREAM, 0, 1, bytes(0, 0, 8)), ErrorCode.FRAME_SIZE_ERROR, CONNECTION,
                        "RST_STREAM frame of 3"),
                error("RST_STREAM of 5 bytes", frame(FrameType.RST_STREAM, 0, 1, bytes(0, 0, 0, 8, 0)), ErrorCode.FRAME_SIZE_ERROR,
                        CONNECTION, "RST_STREAM frame of 5"),
                error("SETTINGS not a multiple of 6", frame(FrameType.SETTINGS, 0, 0, new byte[7]), ErrorCode.FRAME_SIZE_ERROR,
                        CONNECTION, "SETTINGS frame of 7"),
                error("SETTINGS ACK with a payload", frame(FrameType.SETTINGS, Flags.ACK, 0, setting(1, 0)), ErrorCode.FRAME_SIZE_ERROR,
                        CONNECTION, "ACK with a payload"),
                error("PING of 7 bytes", frame(FrameType.PING, 0, 0, new byte[7]), ErrorCode.FRAME_SIZE_ERROR, CONNECTION,
                        "PING frame of 7"),
                error("PING of 9 bytes", frame(FrameType.PING, 0, 0, new byte[9]), ErrorCode.FRAME_SIZE_ERROR, CONNECTION,
                        "PING frame of 9"),
                error("GOAWAY of 7 bytes", frame(FrameType.GOAWAY, 0, 0, new byte[7]), ErrorCode.FRAME_SIZE_ERROR, CONNECTION,
                        "GOAWAY frame of 7"),
                error("WINDOW_UPDATE of 3 bytes", frame(FrameType.WINDOW_UPDATE, 0, 1, bytes(0, 0, 1)), ErrorCode.FRAME_SIZE_ERROR,
                        CONNECTION, "WINDOW_UPDATE frame of 3"),
                error("PRIORITY of 4 bytes", frame(FrameType.PRIORITY, 0, 3, new byte[4]), ErrorCode.FRAME_SIZE_ERROR, 3,
                        "PRIORITY frame of 4"),
                error("PRIORITY of 6 bytes", frame(FrameType.PRIORITY, 0, 3, new byte[6]), ErrorCode.FRAME_SIZE_ERROR, 3,
                        "PRIORITY frame of 6"),
                // Stream 0 or not.
                error("DATA on stream 0", frame(FrameType.DATA, 0, 0, ascii("x")), ErrorCode.PROTOCOL_ERROR, CONNECTION,
                        "DATA frame on stream 0"),
                error("HEADERS on stream 0", frame(FrameType.HEADERS, Flags.END_HEADERS, 0, bytes(0x82)), ErrorCode.PROTOCOL_ERROR,
                        CONNECTION, "HEADERS frame on stream 0"),
                error("PRIORITY on stream 0", frame(FrameType.PRIORITY, 0, 0, new byte[5]), ErrorCode.PROTOCOL_ERROR, CONNECTION,
                        "PRIORITY frame on stream 0"),
                error("RST_STREAM on stream 0", frame(FrameType.RST_STREAM, 0, 0, int32(0)), ErrorCode.PROTOCOL_ERROR, CONNECTION,
                        "RST_STREAM frame on stream 0"),
                error("SETTINGS on a stream", frame(FrameType.SETTINGS, 0, 1, new byte[0]), ErrorCode.PROTOCOL_ERROR, CONNECTION,
                        "SETTINGS frame on stream 1"),
                error("SETTINGS ACK on a stream", frame(FrameType.SETTINGS, Flags.ACK, 1, new byte[0]), ErrorCode.PROTOCOL_ERROR,
                        CONNECTION, "SETTINGS frame on stream 1"),
                error("PING on a stream", frame(FrameType.PING, 0, 1, new byte[8]), ErrorCode.PROTOCOL_ERROR, CONNECTION,
                        "PING frame on stream 1"),
                error("GOAWAY on a stream", frame(FrameType.GOAWAY, 0, 1, new byte[8]), ErrorCode.PROTOCOL_ERROR, CONNECTION,
                        "GOAWAY frame on stream 1"),
                // Padding (§6.1, §6.2).
                error("DATA padding as long as the payload", frame(FrameType.DATA, Flags.PADDED, 1, bytes(4, 0, 0, 0)),
                        ErrorCode.PROTOCOL_ERROR, CONNECTION, "Padding of 4 bytes in a DATA frame of 4"),
                error("DATA padding longer than the payload", frame(FrameType.DATA, Flags.PADDED, 1, bytes(255, 0)),
                        ErrorCode.PROTOCOL_ERROR, CONNECTION, "Padding of 255"),
                error("HEADERS padding over the priority fields", frame(FrameType.HEADERS, Flags.PADDED | Flags.PRIORITY | Flags.END_HEADERS,
                        1, bytes(1, 0, 0, 0, 0, 16)), ErrorCode.PROTOCOL_ERROR, CONNECTION, "Padding of 1 bytes in a HEADERS frame of 6"),
                // A stream depending on itself (RFC 7540 §5.3.1): HEADERS ends the connection, as its block goes undecoded.
                error("HEADERS depending on its own stream", frame(FrameType.HEADERS, Flags.END_HEADERS | Flags.PRIORITY, 1,
                        concat(int32(1), bytes(16), bytes(0x82))), ErrorCode.PROTOCOL_ERROR, CONNECTION, "stream 1 depend on itself"),
                error("PRIORITY depending on its own stream, exclusively", frame(FrameType.PRIORITY, 0, 3, concat(int32(0x8000_0003L),
                        bytes(15))), ErrorCode.PROTOCOL_ERROR, 3, "stream 3 depend on itself"),
                // Settings values (§6.5.2) and count.
                error("ENABLE_PUSH of 2", frame(FrameType.SETTINGS, 0, 0, setting(Http2Settings.ENABLE_PUSH, 2)), ErrorCode.PROTOCOL_ERROR,
                        CONNECTION, "ENABLE_PUSH 2"),
                error("INITIAL_WINDOW_SIZE above 2^31-1", frame(FrameType.SETTINGS, 0, 0, setting(Http2Settings.INITIAL_WINDOW_SIZE,
                        1L << 31)), ErrorCode.FLOW_CONTROL_ERROR, CONNECTION, "INITIAL_WINDOW_SIZE 2147483648"),
                error("MAX_FRAME_SIZE below 16384", frame(FrameType.SETTINGS, 0, 0, setting(Http2Settings.MAX_FRAME_SIZE, 16_383)),
                        ErrorCode.PROTOCOL_ERROR, CONNECTION, "MAX_FRAME_SIZE 16383"),
                error("MAX_FRAME_SIZE above 2^24-1", frame(FrameType.SETTINGS, 0, 0, setting(Http2Settings.MAX_FRAME_SIZE, 1 << 24)),
                        ErrorCode.PROTOCOL_ERROR, CONNECTION, "MAX_FRAME_SIZE 16777216"),
                error("SETTINGS with 65 entries", frame(FrameType.SETTINGS, 0, 0, new byte[6 * 65]), ErrorCode.ENHANCE_YOUR_CALM,
                        CONNECTION, "65 entries"),
                // WINDOW_UPDATE of 0 (§6.9).
                error("WINDOW_UPDATE of 0 on a stream", frame(FrameType.WINDOW_UPDATE, 0, 3, int32(0)), ErrorCode.PROTOCOL_ERROR, 3,
                        "WINDOW_UPDATE of 0"),
                error("WINDOW_UPDATE of 0 but the reserved bit on a stream", frame(FrameType.WINDOW_UPDATE, 0, 3, int32(0x8000_0000L)),
                        ErrorCode.PROTOCOL_ERROR, 3, "WINDOW_UPDATE of 0"),
                error("WINDOW_UPDATE of 0 on the connection", frame(FrameType.WINDOW_UPDATE, 0, 0, int32(0)), ErrorCode.PROTOCOL_ERROR,
                        CONNECTION, "WINDOW_UPDATE of 0 on stream 0"),
                // Header blocks (§6.10) and what a server never receives (§8.4).
                error("DATA inside a header block", concat(OPEN_BLOCK, frame(FrameType.DATA, 0, 1, ascii("x"))), ErrorCode.PROTOCOL_ERROR,
                        CONNECTION, "DATA on stream 1 inside the header block of stream 1"),
                error("PING inside a header block", concat(OPEN_BLOCK, frame(FrameType.PING, 0, 0, new byte[8])), ErrorCode.PROTOCOL_ERROR,
                        CONNECTION, "PING on stream 0 inside"),
                error("PRIORITY inside a header block", concat(OPEN_BLOCK, frame(FrameType.PRIORITY, 0, 1, new byte[5])),
                        ErrorCode.PROTOCOL_ERROR, CONNECTION, "PRIORITY on stream 1 inside"),
                error("unknown type inside a header block", concat(OPEN_BLOCK, frame(RawFrames.UNKNOWN_TYPE, 0, 1, new byte[0])),
                        ErrorCode.PROTOCOL_ERROR, CONNECTION, "unknown frame type 0xbe on stream 1 inside"),
                error("HEADERS of another stream inside a header block", concat(OPEN_BLOCK, frame(FrameType.HEADERS, Flags.END_HEADERS, 3,
                        bytes(0x82))), ErrorCode.PROTOCOL_ERROR, CONNECTION, "HEADERS on stream 3 inside"),
                error("CONTINUATION of another stream", concat(OPEN_BLOCK, frame(FrameType.CONTINUATION, Flags.END_HEADERS, 3,
                        bytes(0x82))), ErrorCode.PROTOCOL_ERROR, CONNECTION, "CONTINUATION on stream 3 inside"),
                error("CONTINUATION on stream 0 inside a header block", concat(OPEN_BLOCK, frame(FrameType.CONTINUATION, Flags.END_HEADERS,
                        0, bytes(0x82))), ErrorCode.PROTOCOL_ERROR, CONNECTION, "CONTINUATION on stream 0 inside"),
                error("CONTINUATION without HEADERS", frame(FrameType.CONTINUATION, Flags.END_HEADERS, 1, bytes(0x82)),
                        ErrorCode.PROTOCOL_ERROR, CONNECTION, "without a header block"),
                error("CONTINUATION after END_HEADERS", concat(frame(FrameType.HEADERS, Flags.END_HEADERS, 1, bytes(0x82)),
                        frame(FrameType.CONTINUATION, Flags.END_HEADERS, 1, bytes(0x82))), ErrorCode.PROTOCOL_ERROR, CONNECTION,
                        "without a header block"),
                error("PUSH_PROMISE", frame(FrameType.PUSH_PROMISE, Flags.END_HEADERS, 1, concat(int32(2), bytes(0x82))),
                        ErrorCode.PROTOCOL_ERROR, CONNECTION, "PUSH_PROMISE"));
    }

    static Arguments error(String name, byte[] bytes, ErrorCode code, int streamId, String message) {
        return argumentSet(name, bytes, code, streamId, message);
    }

    @ParameterizedTest
    @MethodSource("errors")
    void whenTheFramingIsWrongThenTheErrorHasItsCodeAndScope(byte[] bytes, ErrorCode code, int streamId, String message) {
        assertThatExceptionOfType(Http2Exception.class)
                .isThrownBy(() -> new FrameParser().parse(ByteBuffer.wrap(bytes), new FrameRecorder()))
                .satisfies(e -> {
                    assertThat(e.error()).isEqualTo(code);
                    assertThat(e.streamId()).isEqualTo(streamId);
                    assertThat(e.isConnectionError()).isEqualTo(streamId == CONNECTION);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void whenAConnectionErrorWasThrownThenTheParserRefusesMoreInput() {
        FrameParser parser = new FrameParser();
        FrameRecorder recorder = new FrameRecorder();
        assertThatExceptionOfType(Http2Exception.class)
                .isThrownBy(() -> parser.parse(ByteBuffer.wrap(frame(FrameType.DATA, 0, 0, new byte[0])), recorder));
        assertThatIllegalStateException()
                .isThrownBy(() -> parser.parse(ByteBuffer.wrap(frame(FrameType.PING, 0, 0, new byte[8])), recorder));
        assertThat(recorder.events()).isEmpty();
    }

    @Test
    void whenAStreamErrorWasThrownThenTheRestOfTheFrameIsSkippedOnTheNextCall() {
        FrameParser parser = new FrameParser();
        FrameRecorder recorder = new FrameRecorder();
        byte[] bytes = concat(frame(FrameType.PRIORITY, 0, 3, new byte[100]), frame(FrameType.PING, 0, 0, new byte[8]));
        ByteBuffer in = ByteBuffer.wrap(bytes);
        assertThatExceptionOfType(Http2Exception.class).isThrownBy(() -> parser.parse(in, recorder));
        FrameParserTest.parse(parser, in, recorder);
        assertThat(recorder.events()).containsExactly("PING 0");
    }

    @Test
    void whenTheSettingsEntriesAreBoundedLowerThenMoreIsTooMany() {
        FrameParser parser = new FrameParser(Http2Settings.MIN_MAX_FRAME_SIZE, 6);
        assertThatExceptionOfType(Http2Exception.class)
                .isThrownBy(() -> parser.parse(ByteBuffer.wrap(frame(FrameType.SETTINGS, 0, 0, new byte[42])), new FrameRecorder()))
                .satisfies(e -> assertThat(e.error()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM));
    }

    @Test
    void whenTheParserIsConfiguredOutsideTheProtocolsLimitsThenItIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new FrameParser(16_383, 64));
        assertThatIllegalArgumentException().isThrownBy(() -> new FrameParser(1 << 24, 64));
        assertThatIllegalArgumentException().isThrownBy(() -> new FrameParser(16_384, 5));
    }
}
