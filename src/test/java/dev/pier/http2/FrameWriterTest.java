package dev.pier.http2;

import static dev.pier.test.Octets.ascii;
import static dev.pier.test.Octets.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/** What the writer writes reads back through the parser as written, in exactly the bytes it says. */
class FrameWriterTest {

    /** Writes with {@code writer}, checks the bytes written against {@code expectedLength}, parses them back. */
    static List<String> roundTrip(int expectedLength, Consumer<ByteBuffer> writer) {
        ByteBuffer out = ByteBuffer.allocate(1 << 16);
        writer.accept(out);
        assertThat(out.position()).as("bytes written").isEqualTo(expectedLength);
        byte[] bytes = Arrays.copyOf(out.array(), out.position());
        return FrameDriver.whole(bytes).events();
    }

    @Test
    void whenADataHeaderIsFollowedByItsPayloadThenTheyReadAsOneDataFrame() {
        assertThat(roundTrip(14, out -> {
            FrameWriter.dataHeader(out, 1, 5, false);
            out.put(ascii("hello"));
        })).containsExactly("DATA 1 length=5 data=5", "data 1 hello", "DATA end 1");
        assertThat(roundTrip(9, out -> FrameWriter.dataHeader(out, 3, 0, true)))
                .containsExactly("DATA 3 length=0 data=0", "DATA end 3 END_STREAM");
    }

    @Test
    void whenAHeaderBlockFitsInAFrameThenItIsOneHeadersFrame() {
        assertThat(roundTrip(11, out -> FrameWriter.headers(out, 1, ByteBuffer.wrap(bytes(0x88, 0x5f)), false, 16_384)))
                .containsExactly("HEADERS 1", "fragment 1 <88>_", "END_HEADERS 1");
        assertThat(roundTrip(9, out -> FrameWriter.headers(out, 5, ByteBuffer.allocate(0), true, 16_384)))
                .containsExactly("HEADERS 5 END_STREAM", "END_HEADERS 5");
    }

    @Test
    void whenAHeaderBlockIsLargerThanTheMaxFrameSizeThenContinuationsCarryTheRest() {
        byte[] block = new byte[16_384 * 2 + 100];
        Arrays.fill(block, (byte) 'b');
        ByteBuffer source = ByteBuffer.wrap(block);
        List<String> events = roundTrip(FrameWriter.headersLength(block.length, 16_384),
                out -> FrameWriter.headers(out, 7, source, true, 16_384));
        assertThat(source.hasRemaining()).isFalse();
        assertThat(events).containsExactly("HEADERS 7 END_STREAM", "fragment 7 " + "b".repeat(16_384), "CONTINUATION 7",
                "fragment 7 " + "b".repeat(16_384), "CONTINUATION 7", "fragment 7 " + "b".repeat(100), "END_HEADERS 7");
    }

    @Test
    void whenAHeaderBlockIsExactlyTheMaxFrameSizeThenItNeedsNoContinuation() {
        assertThat(FrameWriter.headersLength(16_384, 16_384)).isEqualTo(16_393);
        assertThat(FrameWriter.headersLength(16_385, 16_384)).isEqualTo(16_385 + 18);
        assertThat(FrameWriter.headersLength(0, 16_384)).isEqualTo(9);
        List<String> events = roundTrip(16_393, out -> FrameWriter.headers(out, 1, ByteBuffer.allocate(16_384), false, 16_384));
        assertThat(events).hasSize(3).doesNotContain("CONTINUATION 1");
    }

    @Test
    void whenSettingsAreWrittenThenOnlyThoseOffTheDefaultsAreSent() {
        Http2Settings settings = new Http2Settings(4096, false, 128, 1 << 20, 16_384, 16_384);
        assertThat(roundTrip(9 + 4 * 6, out -> FrameWriter.settings(out, settings))).containsExactly("SETTINGS [Setting[identifier=2, value=0],"
                + " Setting[identifier=3, value=128], Setting[identifier=4, value=1048576], Setting[identifier=6, value=16384]]");
        assertThat(roundTrip(9, out -> FrameWriter.settings(out, Http2Settings.DEFAULTS))).containsExactly("SETTINGS []");
        assertThat(roundTrip(9, FrameWriter::settingsAck)).containsExactly("SETTINGS ACK");
    }

    @Test
    void whenEverySettingDiffersThenTheFrameHasSixEntries() {
        Http2Settings settings = new Http2Settings(0, false, 0, 0, Http2Settings.MAX_MAX_FRAME_SIZE, 0xffff_fffeL);
        List<String> events = roundTrip(45, out -> FrameWriter.settings(out, settings));
        assertThat(events).containsExactly("SETTINGS [Setting[identifier=1, value=0], Setting[identifier=2, value=0],"
                + " Setting[identifier=3, value=0], Setting[identifier=4, value=0], Setting[identifier=5, value=16777215],"
                + " Setting[identifier=6, value=4294967294]]");
    }

    @Test
    void whenControlFramesAreWrittenThenTheyReadBack() {
        assertThat(roundTrip(17, out -> FrameWriter.ping(out, 0x0102_0304_0506_0708L, false))).containsExactly("PING 102030405060708");
        assertThat(roundTrip(17, out -> FrameWriter.ping(out, -1L, true))).containsExactly("PING ACK ffffffffffffffff");
        assertThat(roundTrip(13, out -> FrameWriter.rstStream(out, 9, ErrorCode.REFUSED_STREAM))).containsExactly("RST_STREAM 9 7");
        assertThat(roundTrip(13, out -> FrameWriter.windowUpdate(out, 0, Integer.MAX_VALUE))).containsExactly("WINDOW_UPDATE 0 2147483647");
        assertThat(roundTrip(13, out -> FrameWriter.windowUpdate(out, 3, 1))).containsExactly("WINDOW_UPDATE 3 1");
        assertThat(roundTrip(17, out -> FrameWriter.goAway(out, Integer.MAX_VALUE, ErrorCode.NO_ERROR, new byte[0])))
                .containsExactly("GOAWAY 2147483647 0 ");
        assertThat(roundTrip(26, out -> FrameWriter.goAway(out, 5, ErrorCode.PROTOCOL_ERROR, ascii("bad frame"))))
                .containsExactly("GOAWAY 5 1 bad<20>frame");
    }

    @Test
    void whenAFrameIsWrittenThenItsHeaderIsTheOneOfTheRfc() {
        ByteBuffer out = ByteBuffer.allocate(13);
        FrameWriter.windowUpdate(out, 0x0102_0304, 0x7fff_0001);
        assertThat(out.array()).containsExactly(bytes(0, 0, 4, 8, 0, 1, 2, 3, 4, 0x7f, 0xff, 0, 1));
    }

    @Test
    void whenAFrameCannotBeExpressedThenTheWriterRefusesIt() {
        ByteBuffer out = ByteBuffer.allocate(64);
        List<Runnable> invalid = new ArrayList<>();
        invalid.add(() -> FrameWriter.dataHeader(out, 0, 1, false));
        invalid.add(() -> FrameWriter.dataHeader(out, 1, 1 << 24, false));
        invalid.add(() -> FrameWriter.headers(out, 1, ByteBuffer.allocate(1), false, 100));
        invalid.add(() -> FrameWriter.rstStream(out, 0, ErrorCode.CANCEL));
        invalid.add(() -> FrameWriter.windowUpdate(out, 1, 0));
        invalid.add(() -> FrameWriter.goAway(out, -1, ErrorCode.NO_ERROR, new byte[0]));
        for (Runnable write : invalid) {
            assertThatIllegalArgumentException().isThrownBy(write::run);
        }
        assertThat(out.position()).isZero();
    }
}
