package dev.pier.http2;

import static dev.pier.http2.RawFrames.frame;
import static dev.pier.http2.RawFrames.int32;
import static dev.pier.http2.RawFrames.setting;
import static dev.pier.test.Octets.ascii;
import static dev.pier.test.Octets.bytes;
import static dev.pier.test.Octets.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Frames the parser accepts, and what it reports of them. Errors and resumption have tests of their own. */
class FrameParserTest {

    static Stream<Arguments> frames() {
        return Stream.of(
                argumentSet("DATA",
                        frame(FrameType.DATA, 0, 1, ascii("hello")),
                        List.of("DATA 1 length=5 data=5", "data 1 hello", "DATA end 1")),
                argumentSet("DATA ending the stream",
                        frame(FrameType.DATA, Flags.END_STREAM, 1, ascii("hello")),
                        List.of("DATA 1 length=5 data=5", "data 1 hello", "DATA end 1 END_STREAM")),
                argumentSet("padded DATA: padding and pad length count for flow control, but are not data",
                        frame(FrameType.DATA, Flags.PADDED | Flags.END_STREAM, 3, concat(bytes(4), ascii("hello"), new byte[4])),
                        List.of("DATA 3 length=10 data=5", "data 3 hello", "DATA end 3 END_STREAM")),
                argumentSet("padded DATA of padding only",
                        frame(FrameType.DATA, Flags.PADDED, 3, bytes(2, 0, 0)),
                        List.of("DATA 3 length=3 data=0", "DATA end 3")),
                argumentSet("empty DATA",
                        frame(FrameType.DATA, 0, 5, new byte[0]),
                        List.of("DATA 5 length=0 data=0", "DATA end 5")),
                argumentSet("empty DATA ending the stream",
                        frame(FrameType.DATA, Flags.END_STREAM, 5, new byte[0]),
                        List.of("DATA 5 length=0 data=0", "DATA end 5 END_STREAM")),
                argumentSet("HEADERS with a whole block",
                        frame(FrameType.HEADERS, Flags.END_HEADERS, 1, bytes(0x82, 0x86)),
                        List.of("HEADERS 1", "fragment 1 <82><86>", "END_HEADERS 1")),
                argumentSet("HEADERS ending the stream",
                        frame(FrameType.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, bytes(0x82)),
                        List.of("HEADERS 1 END_STREAM", "fragment 1 <82>", "END_HEADERS 1")),
                argumentSet("HEADERS with padding and priority, both stripped",
                        frame(FrameType.HEADERS, Flags.END_HEADERS | Flags.PADDED | Flags.PRIORITY, 1,
                                concat(bytes(3), int32(0x8000_0003L), bytes(255), bytes(0x82, 0x86), new byte[3])),
                        List.of("HEADERS 1", "fragment 1 <82><86>", "END_HEADERS 1")),
                argumentSet("HEADERS with an empty block",
                        frame(FrameType.HEADERS, Flags.END_HEADERS, 1, new byte[0]),
                        List.of("HEADERS 1", "END_HEADERS 1")),
                argumentSet("HEADERS and CONTINUATIONs, one of them empty",
                        concat(frame(FrameType.HEADERS, Flags.END_STREAM | Flags.PADDED, 1, concat(bytes(1), bytes(0x82), bytes(0))),
                                frame(FrameType.CONTINUATION, 0, 1, new byte[0]),
                                frame(FrameType.CONTINUATION, Flags.END_HEADERS, 1, bytes(0x86, 0x84))),
                        List.of("HEADERS 1 END_STREAM", "fragment 1 <82>", "CONTINUATION 1", "CONTINUATION 1", "fragment 1 <86><84>",
                                "END_HEADERS 1")),
                argumentSet("PRIORITY",
                        frame(FrameType.PRIORITY, 0, 3, concat(int32(1), bytes(15))),
                        List.of("PRIORITY 3")),
                argumentSet("RST_STREAM with a known code",
                        frame(FrameType.RST_STREAM, 0, 1, int32(ErrorCode.CANCEL.code())),
                        List.of("RST_STREAM 1 8")),
                argumentSet("RST_STREAM with an unknown code, kept raw",
                        frame(FrameType.RST_STREAM, 0, 1, int32(0xffff_fffeL)),
                        List.of("RST_STREAM 1 4294967294")),
                argumentSet("SETTINGS, unknown identifiers dropped",
                        frame(FrameType.SETTINGS, 0, 0, concat(setting(Http2Settings.MAX_CONCURRENT_STREAMS, 100), setting(0x99, 7),
                                setting(Http2Settings.INITIAL_WINDOW_SIZE, 1 << 20))),
                        List.of("SETTINGS [Setting[identifier=3, value=100], Setting[identifier=4, value=1048576]]")),
                argumentSet("empty SETTINGS",
                        frame(FrameType.SETTINGS, 0, 0, new byte[0]),
                        List.of("SETTINGS []")),
                argumentSet("SETTINGS ACK",
                        frame(FrameType.SETTINGS, Flags.ACK, 0, new byte[0]),
                        List.of("SETTINGS ACK")),
                argumentSet("PING",
                        frame(FrameType.PING, 0, 0, bytes(1, 2, 3, 4, 5, 6, 7, 8)),
                        List.of("PING 102030405060708")),
                argumentSet("PING ACK",
                        frame(FrameType.PING, Flags.ACK, 0, bytes(0xff, 0, 0, 0, 0, 0, 0, 1)),
                        List.of("PING ACK ff00000000000001")),
                argumentSet("GOAWAY without debug data, reserved bit ignored",
                        frame(FrameType.GOAWAY, 0, 0, concat(int32(0x8000_0007L), int32(0))),
                        List.of("GOAWAY 7 0 ")),
                argumentSet("GOAWAY with debug data",
                        frame(FrameType.GOAWAY, 0, 0, concat(int32(7), int32(ErrorCode.ENHANCE_YOUR_CALM.code()), ascii("calm"))),
                        List.of("GOAWAY 7 11 calm")),
                argumentSet("WINDOW_UPDATE of the connection",
                        frame(FrameType.WINDOW_UPDATE, 0, 0, int32(65_535)),
                        List.of("WINDOW_UPDATE 0 65535")),
                argumentSet("WINDOW_UPDATE of a stream, reserved bit ignored",
                        frame(FrameType.WINDOW_UPDATE, 0, 1, int32(0xffff_ffffL)),
                        List.of("WINDOW_UPDATE 1 2147483647")),
                argumentSet("reserved bit of the stream id ignored",
                        frame(FrameType.DATA, 0, 0x8000_0001, ascii("x")),
                        List.of("DATA 1 length=1 data=1", "data 1 x", "DATA end 1")),
                argumentSet("unknown flags ignored",
                        frame(FrameType.DATA, 0xf6, 1, ascii("x")),
                        List.of("DATA 1 length=1 data=1", "data 1 x", "DATA end 1")),
                argumentSet("frames of unknown types skipped, on any stream",
                        concat(frame(RawFrames.UNKNOWN_TYPE, 0xff, 0, ascii("anything")), frame(0x0a, 0, 1, new byte[0]),
                                frame(FrameType.PING, 0, 0, new byte[8])),
                        List.of("PING 0")));
    }

    @ParameterizedTest
    @MethodSource("frames")
    void whenAFrameIsParsedThenTheListenerHearsOfIt(byte[] bytes, List<String> events) {
        assertThat(FrameDriver.whole(bytes).events()).containsExactlyElementsOf(events);
    }

    @Test
    void whenGoAwayDebugDataIsLongThenOnlyItsStartIsKeptAndTheRestSkipped() {
        byte[] debug = new byte[1000];
        Arrays.fill(debug, (byte) 'd');
        byte[] bytes = concat(frame(FrameType.GOAWAY, 0, 0, concat(int32(1), int32(0), debug)), frame(FrameType.PING, 0, 0, new byte[8]));
        assertThat(FrameDriver.whole(bytes).events())
                .containsExactly("GOAWAY 1 0 " + "d".repeat(FrameParser.MAX_DEBUG_DATA), "PING 0");
    }

    @Test
    void whenTheMaxFrameSizeIsRaisedThenLargerFramesAreAccepted() {
        FrameParser parser = new FrameParser();
        parser.maxFrameSize(Http2Settings.MAX_MAX_FRAME_SIZE);
        byte[] data = new byte[100_000];
        FrameDriver driver = new FrameDriver(parser).feed(frame(FrameType.DATA, 0, 1, data), 0, 9 + data.length);
        assertThat(driver.events()).first().isEqualTo("DATA 1 length=100000 data=100000");
        assertThat(driver.events()).last().isEqualTo("DATA end 1");
    }

    @Test
    void whenAFrameIsExactlyTheMaxFrameSizeThenItIsAccepted() {
        byte[] bytes = frame(FrameType.DATA, 0, 1, new byte[Http2Settings.MIN_MAX_FRAME_SIZE]);
        assertThat(FrameDriver.whole(bytes).events()).first().isEqualTo("DATA 1 length=16384 data=16384");
    }

    @Test
    void whenASettingsFrameHasExactlyTheAllowedEntriesThenItIsAccepted() {
        byte[][] entries = new byte[FrameParser.DEFAULT_MAX_SETTINGS_ENTRIES][];
        Arrays.fill(entries, setting(Http2Settings.HEADER_TABLE_SIZE, 0));
        assertThat(FrameDriver.whole(frame(FrameType.SETTINGS, 0, 0, concat(entries))).events()).singleElement().asString()
                .startsWith("SETTINGS [Setting[identifier=1, value=0]");
    }

    @Test
    void whenADataFrameIsWholeInTheBufferThenItsDataComesAsOneSlice() {
        ByteBuffer in = ByteBuffer.wrap(concat(frame(FrameType.DATA, 0, 1, ascii("abc")), frame(FrameType.PING, 0, 0, new byte[8])));
        FrameRecorder recorder = new FrameRecorder();
        parse(new FrameParser(), in, recorder);
        assertThat(recorder.slices()).isEqualTo(1);
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void whenADataFrameIsLargeThenItsDataIsHandedOutAsItArrivesAndNeverHeld() {
        int length = 1 << 20;
        int read = 4096;
        FrameParser parser = new FrameParser(Http2Settings.MAX_MAX_FRAME_SIZE, FrameParser.DEFAULT_MAX_SETTINGS_ENTRIES);
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) i;
        }
        byte[] bytes = frame(FrameType.DATA, Flags.END_STREAM, 1, payload);
        ByteBuffer received = ByteBuffer.allocate(length);
        FrameListener listener = new FrameRecorder() {
            @Override
            public void onData(int streamId, ByteBuffer data) {
                assertThat(data.remaining()).isLessThanOrEqualTo(read);
                received.put(data);
            }
        };
        for (int from = 0; from < bytes.length; from += read) {
            ByteBuffer in = ByteBuffer.wrap(bytes, from, Math.min(read, bytes.length - from));
            parse(parser, in, listener);
            // What has come in has gone out, but for the 9-byte header.
            assertThat(received.position()).isEqualTo(Math.min(from + read, bytes.length) - 9);
        }
        assertThat(received.array()).isEqualTo(payload);
        assertThat(((FrameRecorder) listener).events()).containsExactly("DATA 1 length=1048576 data=1048576", "DATA end 1 END_STREAM");
    }

    @Test
    void whenAHeaderBlockIsSplitAcrossReadsThenItsFragmentsAreHandedOutAsTheyArrive() {
        byte[] block = new byte[10_000];
        Arrays.fill(block, (byte) 'h');
        byte[] bytes = frame(FrameType.HEADERS, Flags.END_HEADERS, 1, block);
        FrameRecorder recorder = new FrameRecorder();
        FrameParser parser = new FrameParser();
        parse(parser, ByteBuffer.wrap(bytes, 0, 1000), recorder);
        assertThat(recorder.events()).containsExactly("HEADERS 1", "fragment 1 " + "h".repeat(991));
        parse(parser, ByteBuffer.wrap(bytes, 1000, bytes.length - 1000), recorder);
        assertThat(recorder.events()).containsExactly("HEADERS 1", "fragment 1 " + "h".repeat(10_000), "END_HEADERS 1");
        assertThat(recorder.slices()).isEqualTo(2);
    }

    static void parse(FrameParser parser, ByteBuffer in, FrameListener listener) {
        try {
            parser.parse(in, listener);
        } catch (Http2Exception e) {
            throw new AssertionError(e);
        }
    }
}
