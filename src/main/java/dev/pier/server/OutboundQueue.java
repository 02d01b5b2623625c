package dev.pier.server;

import dev.pier.http.ResponseBody;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * Bytes and file regions waiting for a connection's socket, written in order. Consecutive buffers
 * go out in one gathering write (pipelined responses coalesce); files go out with
 * {@code transferTo}, never through the heap. Owned by the connection's event loop thread.
 */
final class OutboundQueue {

    private static final int MAX_GATHER = 16;

    /** A file region part-way sent. */
    private static final class PendingFile {
        final ResponseBody.FileRegion region;
        long position;
        long remaining;

        PendingFile(ResponseBody.FileRegion region) {
            this.region = region;
            this.position = region.position();
            this.remaining = region.count();
        }
    }

    private final ArrayDeque<Object> items = new ArrayDeque<>();
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    private long queuedBytes;

    void add(ByteBuffer bytes) {
        if (bytes.hasRemaining()) {
            items.add(bytes);
            queuedBytes += bytes.remaining();
        }
    }

    void add(ResponseBody.FileRegion file) {
        if (file.count() == 0) {
            file.release();
            return;
        }
        items.add(new PendingFile(file));
        queuedBytes += file.count();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    long queuedBytes() {
        return queuedBytes;
    }

    /**
     * Writes as much as the socket takes.
     *
     * @return bytes written; the queue is drained when {@link #isEmpty()}
     * @throws IOException if the peer is gone, or a file being sent shrank
     */
    long flush(SocketChannel channel) throws IOException {
        long total = 0;
        while (!items.isEmpty()) {
            long written = items.peek() instanceof PendingFile file ? writeFile(channel, file) : writeBuffers(channel);
            total += written;
            queuedBytes -= written;
            if (written == 0) {
                break;
            }
        }
        return total;
    }

    private long writeBuffers(SocketChannel channel) throws IOException {
        int count = 0;
        for (Object item : items) {
            if (!(item instanceof ByteBuffer buffer) || count == MAX_GATHER) {
                break;
            }
            gather[count++] = buffer;
        }
        long written = channel.write(gather, 0, count);
        for (int i = 0; i < count && !gather[i].hasRemaining(); i++) {
            items.poll();
        }
        java.util.Arrays.fill(gather, 0, count, null);
        return written;
    }

    private long writeFile(SocketChannel channel, PendingFile file) throws IOException {
        long written = file.region.channel().transferTo(file.position, file.remaining, channel);
        if (written == 0 && file.position >= file.region.channel().size()) {
            throw new IOException("File shrank while being sent");
        }
        file.position += written;
        file.remaining -= written;
        if (file.remaining == 0) {
            items.poll();
            file.region.release();
        }
        return written;
    }

    /** Drops everything queued, closing any open file. */
    void release() {
        for (Object item : items) {
            if (item instanceof PendingFile file) {
                file.region.release();
            }
        }
        items.clear();
        queuedBytes = 0;
    }
}
