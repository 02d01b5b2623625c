package dev.pier.http2.hpack;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reads one header block across the fragments it came in (a HEADERS payload, then CONTINUATION
 * payloads) without joining them: a representation may straddle any boundary. Advances the
 * fragments' positions. The block is complete, so running out of octets inside a representation
 * is a truncated block, not a reason to wait.
 */
final class BlockReader {

    private List<ByteBuffer> fragments = List.of();
    private int next;
    private ByteBuffer current;

    void reset(List<ByteBuffer> fragments) {
        this.fragments = fragments;
        this.next = 0;
        this.current = null;
    }

    boolean hasRemaining() {
        while (current == null || !current.hasRemaining()) {
            if (next == fragments.size()) {
                return false;
            }
            current = fragments.get(next++);
        }
        return true;
    }

    /** The octets left in the block. */
    long remaining() {
        long remaining = current == null ? 0 : current.remaining();
        for (int i = next; i < fragments.size(); i++) {
            remaining += fragments.get(i).remaining();
        }
        return remaining;
    }

    /** The next octet, 0 to 255. */
    int readByte() throws HpackException {
        if (!hasRemaining()) {
            throw new HpackException("Header block ends inside a field representation");
        }
        return current.get() & 0xFF;
    }

    /** Copies {@code length} octets into {@code to} from {@code offset}, a fragment's worth at a time. */
    void read(byte[] to, int offset, int length) throws HpackException {
        while (length > 0) {
            if (!hasRemaining()) {
                throw new HpackException("Header block ends inside a string literal");
            }
            int chunk = Math.min(length, current.remaining());
            current.get(to, offset, chunk);
            offset += chunk;
            length -= chunk;
        }
    }

    void skip(int length) throws HpackException {
        while (length > 0) {
            if (!hasRemaining()) {
                throw new HpackException("Header block ends inside a string literal");
            }
            int chunk = Math.min(length, current.remaining());
            current.position(current.position() + chunk);
            length -= chunk;
        }
    }
}
