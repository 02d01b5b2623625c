package dev.pier.multipart;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The delimiter CRLF "--" boundary (RFC 2046 §5.1.1), and the searches for it in a buffer. A full
 * search is Boyer-Moore-Horspool: on data that holds no delimiter it reads about one byte in
 * {@code length()}, as most bytes do not occur near the delimiter's end.
 *
 * <p>The delimiter's CR appears only at its start, since a boundary holds no CR. So a prefix of
 * it that ends a buffer can only start at the last CR of the buffer's tail, and after a mismatch
 * no shorter prefix can be under way. That is why a parser needs to carry only a count of the
 * bytes matched from one buffer to the next: those bytes are the delimiter's own, and are read
 * back from it ({@link #prefix}) if they turn out to be data after all.
 */
final class Delimiter {

    private final byte[] bytes;
    /** Horspool's shifts: how far the window may move when its last byte is the index. */
    private final int[] shift = new int[256];

    Delimiter(String boundary) {
        bytes = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        Arrays.fill(shift, bytes.length);
        for (int i = 0; i < bytes.length - 1; i++) {
            shift[bytes[i] & 0xff] = bytes.length - 1 - i;
        }
    }

    int length() {
        return bytes.length;
    }

    /** Where the first whole delimiter in {@code [from, to)} starts, or -1. */
    int find(ByteBuffer in, int from, int to) {
        int last = bytes.length - 1;
        byte lastByte = bytes[last];
        for (int end = from + last; end < to; ) {
            byte b = in.get(end);
            if (b == lastByte && matchesBefore(in, end)) {
                return end - last;
            }
            end += shift[b & 0xff];
        }
        return -1;
    }

    /** Whether the delimiter's bytes but its last stand just before {@code end}. */
    private boolean matchesBefore(ByteBuffer in, int end) {
        int start = end - (bytes.length - 1);
        for (int i = 0; i < bytes.length - 1; i++) {
            if (in.get(start + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    /** Where a proper prefix of the delimiter starts that runs to {@code to}, or -1. */
    int prefixAtEnd(ByteBuffer in, int from, int to) {
        for (int start = to - 1; start >= Math.max(from, to - (bytes.length - 1)); start--) {
            if (in.get(start) == '\r') {
                for (int i = start + 1; i < to; i++) {
                    if (in.get(i) != bytes[i - start]) {
                        return -1;
                    }
                }
                return start;
            }
        }
        return -1;
    }

    /**
     * Continues a match of {@code matched} bytes over {@code [from, to)}: the count matched once the
     * delimiter is whole or the bytes run out, or -1 if a byte differs.
     */
    int extend(ByteBuffer in, int from, int to, int matched) {
        int count = matched;
        for (int i = from; i < to && count < bytes.length; i++, count++) {
            if (in.get(i) != bytes[count]) {
                return -1;
            }
        }
        return count;
    }

    /** The delimiter's first {@code length} bytes, read-only: a match that turned out to be data. */
    ByteBuffer prefix(int length) {
        return ByteBuffer.wrap(bytes, 0, length).asReadOnlyBuffer();
    }
}
