package dev.pier.server;

import dev.pier.http1.ParseResult;
import dev.pier.http1.RequestParser;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Bytes a connection has read and not yet consumed: part of a head, or pipelined requests waiting
 * their turn. It holds no buffer while empty, so an idle connection costs none: a read goes into
 * the loop's scratch buffer, and only what parsing leaves over is copied into a buffer of its own,
 * which doubles, up to the head limit, for a head that needs it. While a body streams, a buffer
 * of its own is kept ({@link #keepForBody}), so each read takes up to that much at once. Loop
 * thread only; write mode between calls.
 */
final class InboundBuffer {

    private static final int INITIAL = 4096;

    private final EventLoop loop;
    private final int max;
    private ByteBuffer buffer;
    /** A streamed body is being read: the buffer stays, however empty. */
    private boolean keptForBody;

    /** @param max the most a head may need: the head limit, plus its final CRLF */
    InboundBuffer(EventLoop loop, int max) {
        this.loop = loop;
        this.max = max;
    }

    /** Reads what the transport has; -1 at end of input. */
    int readFrom(Transport transport) throws IOException {
        if (buffer == null) {
            buffer = loop.readScratch();
        }
        return transport.read(buffer);
    }

    /** Lets the parser consume what it can; the rest stays. */
    ParseResult parse(RequestParser parser) {
        buffer.flip();
        try {
            return parser.parse(buffer);
        } finally {
            buffer.compact();
        }
    }

    /**
     * Copies a streamed body's bytes into {@code into} while it has room and the parser has
     * some; answers the last result: a {@link ParseResult.Content} (its {@code last} at the body's
     * end), "need more", or a rejection.
     */
    ParseResult content(RequestParser parser, ByteBuffer into) {
        buffer.flip();
        try {
            ParseResult result;
            do {
                result = parser.content(buffer, into.remaining());
                if (!(result instanceof ParseResult.Content content)) {
                    break;
                }
                into.put(content.data());
                if (content.last()) {
                    break;
                }
            } while (into.hasRemaining());
            return result;
        } finally {
            buffer.compact();
        }
    }

    /** Keeps a buffer of its own of at least {@code capacity} bytes until {@link #releaseBody}: a streamed body reads through it. */
    void keepForBody(int capacity) {
        keptForBody = true;
        if (buffer == null || loop.isReadScratch(buffer) || buffer.capacity() < capacity) {
            ByteBuffer own = ByteBuffer.allocate(Math.max(capacity, buffer == null ? 0 : buffer.position()));
            if (buffer != null) {
                own.put(buffer.flip());
            }
            buffer = own;
        }
    }

    /** The streamed body ended: back to holding a buffer only for bytes left over. */
    void releaseBody() {
        keptForBody = false;
    }

    /** What is buffered and not consumed, to look at: valid until the next call. */
    ByteBuffer unread() {
        return buffer == null ? ByteBuffer.allocate(0) : buffer.duplicate().flip();
    }

    /** Takes what is buffered and not consumed, as a buffer of its own, and empties this one. */
    ByteBuffer takeUnread() {
        ByteBuffer taken = ByteBuffer.allocate(buffer == null ? 0 : buffer.position());
        if (buffer != null) {
            taken.put(buffer.flip()).flip();
            buffer = null;
            keptForBody = false;
        }
        return taken;
    }

    boolean hasBytes() {
        return buffer != null && buffer.position() > 0;
    }

    /**
     * Makes room for more of a head that filled the buffer.
     *
     * @return false if the buffer is already as large as a head may be
     */
    boolean makeRoom() {
        if (buffer.hasRemaining()) {
            return true;
        }
        if (buffer.capacity() >= max) {
            return false;
        }
        buffer = ByteBuffer.allocate(Math.min(max, Math.max(INITIAL, buffer.capacity() * 2))).put(buffer.flip());
        return true;
    }

    /**
     * After a read and its parsing: gives the scratch buffer back to the loop, first copying what
     * is left into a buffer of this connection's own, and drops a buffer that has emptied.
     *
     * @param keep false when the connection no longer parses (closed, lingering): drop everything
     */
    void settle(boolean keep) {
        if (buffer == null) {
            return;
        }
        if (!keep || buffer.position() == 0 && !keptForBody) {
            buffer = null;
        } else if (loop.isReadScratch(buffer)) {
            buffer = ByteBuffer.allocate(Math.max(INITIAL, buffer.position())).put(buffer.flip());
        }
    }
}
