package dev.pier.files;

import dev.pier.http.ResponseBody;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code multipart/byteranges} body of a 206 with several ranges (RFC 9110 §14.6): each part
 * is a small head ({@code --boundary}, {@code Content-Type}, {@code Content-Range}) in memory,
 * then a region of the file sent zero-copy; every region shares the one open channel, which the
 * composite body closes when it is done.
 *
 * <pre>
 * --3d6b6a416f9b5
 * Content-Type: application/pdf
 * Content-Range: bytes 0-99/5000
 *
 * (100 bytes)
 * --3d6b6a416f9b5
 * ...
 * --3d6b6a416f9b5--
 * </pre>
 */
final class MultipartByteranges {

    private MultipartByteranges() {
    }

    /**
     * A boundary that cannot be mistaken for content by chance: 64 random bits, as text. Random per
     * response, so that no file can be crafted to contain its own parts' boundary.
     */
    static String boundary() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    static String contentType(String boundary) {
        return "multipart/byteranges; boundary=" + boundary;
    }

    /**
     * @param channel the open file, owned by the returned body from now on
     * @param ranges at least two, within the file
     * @param length the file's complete length
     * @param contentType the file's own type, repeated in each part
     */
    static ResponseBody.Composite body(FileChannel channel, List<ByteRange> ranges, long length, String contentType, String boundary) {
        List<ResponseBody> parts = new ArrayList<>(ranges.size() * 2 + 1);
        for (int i = 0; i < ranges.size(); i++) {
            ByteRange range = ranges.get(i);
            // Every part head but the first starts with the CRLF that ends the previous part's bytes.
            String head = (i == 0 ? "" : "\r\n") + "--" + boundary + "\r\n"
                    + "Content-Type: " + contentType + "\r\n"
                    + "Content-Range: " + range.contentRange(length) + "\r\n\r\n";
            parts.add(ResponseBody.Bytes.of(head.getBytes(StandardCharsets.ISO_8859_1)));
            parts.add(new ResponseBody.FileRegion(channel, range.first(), range.length()));
        }
        parts.add(ResponseBody.Bytes.of(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        return new ResponseBody.Composite(parts);
    }
}
