package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http.ResponseBody;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultipartByterangesTest {

    @TempDir
    Path temp;

    @Test
    void whenSeveralRangesThenPartsWithTypeAndRangeBetweenBoundariesAndOneSharedChannel() throws IOException {
        Path file = Files.writeString(temp.resolve("letters.txt"), "abcdefghijklmnopqrstuvwxyz");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);

        ResponseBody.Composite body = MultipartByteranges.body(channel, List.of(new ByteRange(0, 2), new ByteRange(23, 25)), 26,
                "text/plain;charset=utf-8", "b0undary");

        String expected = "--b0undary\r\nContent-Type: text/plain;charset=utf-8\r\nContent-Range: bytes 0-2/26\r\n\r\nabc"
                + "\r\n--b0undary\r\nContent-Type: text/plain;charset=utf-8\r\nContent-Range: bytes 23-25/26\r\n\r\nxyz"
                + "\r\n--b0undary--\r\n";
        assertThat(render(body)).isEqualTo(expected);
        assertThat(body.length()).isEqualTo(expected.length());
        assertThat(body.parts()).filteredOn(part -> part instanceof ResponseBody.FileRegion)
                .allSatisfy(part -> assertThat(((ResponseBody.FileRegion) part).channel()).isSameAs(channel));
        body.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void whenBoundariesAreMadeThenTheyDifferAndFitTheContentType() {
        String first = MultipartByteranges.boundary();
        String second = MultipartByteranges.boundary();

        assertThat(first).isNotEqualTo(second).matches("[0-9a-f]{16}");
        assertThat(MultipartByteranges.contentType(first)).isEqualTo("multipart/byteranges; boundary=" + first);
    }

    /** What the server would send, read through the regions. */
    static String render(ResponseBody.Composite body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ResponseBody part : body.parts()) {
            if (part instanceof ResponseBody.Bytes bytes) {
                ByteBuffer content = bytes.content().duplicate();
                byte[] copy = new byte[content.remaining()];
                content.get(copy);
                out.write(copy);
            } else if (part instanceof ResponseBody.FileRegion region) {
                ByteBuffer content = ByteBuffer.allocate((int) region.count());
                region.channel().read(content, region.position());
                out.write(content.array());
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
