package dev.pier.http2;

import static dev.pier.http2.RawFrames.frame;
import static dev.pier.http2.RawFrames.int32;
import static dev.pier.http2.RawFrames.setting;
import static dev.pier.test.Octets.ascii;
import static dev.pier.test.Octets.bytes;
import static dev.pier.test.Octets.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Frames arrive in whatever pieces the network makes: every split of a sequence of frames, and
 * one byte at a time, must give the same events as the whole, as for the HTTP/1.1 parser. Stream
 * errors included: parsing goes on after them, at the same place whatever the split.
 */
class FrameParserResumeTest {

    /**
     * A client's opening: settings, a request in three frames, its padded body, and the control
     * frames around. The request depends on stream 0x1000001, which a dependency misread across a
     * split would take for the request's own stream 1.
     */
    static final byte[] CONVERSATION = concat(
            frame(FrameType.SETTINGS, 0, 0, concat(setting(Http2Settings.ENABLE_PUSH, 0), setting(Http2Settings.INITIAL_WINDOW_SIZE, 1 << 24))),
            frame(FrameType.WINDOW_UPDATE, 0, 0, int32(15_663_105)),
            frame(FrameType.HEADERS, Flags.PADDED | Flags.PRIORITY, 1,
                    concat(bytes(2), int32(0x8100_0001L), bytes(200), ascii("first-"), new byte[2])),
            frame(FrameType.CONTINUATION, 0, 1, ascii("second-")),
            frame(FrameType.CONTINUATION, Flags.END_HEADERS, 1, ascii("third")),
            frame(FrameType.DATA, Flags.PADDED, 1, concat(bytes(3), ascii("hello "), new byte[3])),
            frame(FrameType.DATA, 0, 1, new byte[0]),
            frame(FrameType.DATA, Flags.END_STREAM, 1, ascii("world")),
            frame(FrameType.SETTINGS, Flags.ACK, 0, new byte[0]),
            frame(FrameType.PING, 0, 0, ascii("pingpong")),
            frame(RawFrames.UNKNOWN_TYPE, 0x3, 1, ascii("extension")),
            frame(FrameType.PRIORITY, 0, 3, concat(int32(1), bytes(0))),
            frame(FrameType.WINDOW_UPDATE, 0, 1, int32(1024)),
            frame(FrameType.RST_STREAM, 0, 1, int32(ErrorCode.CANCEL.code())),
            frame(FrameType.GOAWAY, 0, 0, concat(int32(1), int32(0), ascii("bye"))));

    static final List<String> CONVERSATION_EVENTS = List.of(
            "SETTINGS [Setting[identifier=2, value=0], Setting[identifier=4, value=16777216]]",
            "WINDOW_UPDATE 0 15663105",
            "HEADERS 1",
            "fragment 1 first-",
            "CONTINUATION 1",
            "fragment 1 second-",
            "CONTINUATION 1",
            "fragment 1 third",
            "END_HEADERS 1",
            "DATA 1 length=10 data=6",
            "data 1 hello<20>",
            "DATA end 1",
            "DATA 1 length=0 data=0",
            "DATA end 1",
            "DATA 1 length=5 data=5",
            "data 1 world",
            "DATA end 1 END_STREAM",
            "SETTINGS ACK",
            "PING 70696e67706f6e67",
            "PRIORITY 3",
            "WINDOW_UPDATE 1 1024",
            "RST_STREAM 1 8",
            "GOAWAY 1 0 bye");

    /** Two stream errors, each followed by a frame that must still be parsed, then a connection error. */
    static final byte[] ERRORS = concat(
            frame(FrameType.PRIORITY, 0, 3, bytes(1, 2, 3, 4, 5, 6, 7)),
            frame(FrameType.DATA, 0, 1, ascii("after")),
            frame(FrameType.WINDOW_UPDATE, 0, 5, int32(0)),
            frame(FrameType.PING, Flags.ACK, 0, new byte[8]),
            frame(FrameType.HEADERS, 0, 7, ascii("open")),
            frame(FrameType.DATA, 0, 7, ascii("not a CONTINUATION")),
            frame(FrameType.PING, 0, 0, new byte[8]));

    static Stream<Arguments> sequences() {
        return Stream.of(
                argumentSet("a conversation of every frame type", CONVERSATION),
                argumentSet("stream errors, then a connection error", ERRORS),
                argumentSet("a GOAWAY with more debug data than kept", concat(
                        frame(FrameType.GOAWAY, 0, 0, concat(int32(9), int32(2), ascii("x".repeat(FrameParser.MAX_DEBUG_DATA + 40)))),
                        frame(FrameType.PING, 0, 0, new byte[8]))));
    }

    @Test
    void whenAConversationIsParsedWholeThenEveryFrameIsReportedInOrder() {
        assertThat(FrameDriver.whole(CONVERSATION).events()).containsExactlyElementsOf(CONVERSATION_EVENTS);
    }

    @Test
    void whenStreamErrorsOccurThenTheFollowingFramesAreStillParsed() {
        assertThat(FrameDriver.whole(ERRORS).events()).containsExactly(
                "stream error on 3 FRAME_SIZE_ERROR: PRIORITY frame of 7 bytes",
                "DATA 1 length=5 data=5", "data 1 after", "DATA end 1",
                "stream error on 5 PROTOCOL_ERROR: WINDOW_UPDATE of 0 on stream 5",
                "PING ACK 0",
                "HEADERS 7", "fragment 7 open",
                "connection error PROTOCOL_ERROR: DATA on stream 7 inside the header block of stream 7");
    }

    @ParameterizedTest
    @MethodSource("sequences")
    void whenBytesAreSplitInTwoAtAnyOffsetThenTheEventsAreTheSameAsInOneRead(byte[] bytes) {
        List<String> whole = FrameDriver.whole(bytes).events();
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertThat(FrameDriver.split(bytes, cut).events()).as("split at %d", cut).isEqualTo(whole);
        }
    }

    @ParameterizedTest
    @MethodSource("sequences")
    void whenBytesAreSplitInThreeAtAnyOffsetsThenTheEventsAreTheSameAsInOneRead(byte[] bytes) {
        List<String> whole = FrameDriver.whole(bytes).events();
        for (int first = 0; first <= bytes.length; first++) {
            for (int second = first; second <= bytes.length; second++) {
                assertThat(FrameDriver.split(bytes, first, second).events()).as("split at %d and %d", first, second).isEqualTo(whole);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sequences")
    void whenBytesArriveOneAtATimeThenTheEventsAreTheSameAsInOneRead(byte[] bytes) {
        assertThat(FrameDriver.byteByByte(bytes).events()).isEqualTo(FrameDriver.whole(bytes).events());
    }
}
