package dev.pier.http2.hpack;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The decoded octets of one string literal, in an array reused from field to field. It keeps at
 * most {@code limit} octets and only counts the rest: a longer string can be neither delivered
 * (it alone passes the header list limit) nor stored (it alone passes the table's capacity), yet
 * its length is needed to keep the table in step, so memory stays bounded whatever a peer sends.
 */
final class StringLiteral {

    private final int limit;
    private byte[] octets = new byte[64];
    private int length;

    StringLiteral(int limit) {
        this.limit = limit;
    }

    void clear() {
        length = 0;
    }

    /** The decoded length, kept or only counted. */
    int length() {
        return length;
    }

    void append(int octet) {
        if (length < limit) {
            ensureCapacity(length + 1);
            octets[length] = (byte) octet;
        }
        length++;
    }

    /** Appends {@code count} raw octets from the block. */
    void append(BlockReader in, int count) throws HpackException {
        int kept = Math.max(0, Math.min(count, limit - length));
        ensureCapacity(length + kept);
        in.read(octets, length, kept);
        in.skip(count - kept);
        length += count;
    }

    /** The octets as ISO-8859-1; only for a string within the limit, which the decoder makes sure of. */
    String string() {
        if (length > limit) {
            throw new IllegalStateException("String literal of " + length + " octets was counted, not kept");
        }
        return new String(octets, 0, length, StandardCharsets.ISO_8859_1);
    }

    private void ensureCapacity(int needed) {
        if (needed > octets.length) {
            octets = Arrays.copyOf(octets, (int) Math.min(limit, Math.max(needed, 2L * octets.length)));
        }
    }
}
