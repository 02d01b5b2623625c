package dev.pier.server;

import dev.pier.http.ResponseBody;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Bytes and file regions waiting for a connection's socket, written in order through its
 * {@link Transport}. Consecutive buffers go out in one gathering write (pipelined responses
 * coalesce); files go out with {@code transferTo}, never through the heap, unless TLS must read
 * them to encrypt them. A composite body is queued part by part, its file
 * regions (which may share one channel) released together when its last part is written. Owned by
 * the connection's event loop thread.
 */
final class OutboundQueue {

    private static final int MAX_GATHER = 16;

    /** A file region part-way sent; {@code owned} unless it belongs to a composite body, which releases it. */
    private static final class PendingFile {
        final ResponseBody.FileRegion region;
        final boolean owned;
        long position;
        long remaining;

        PendingFile(ResponseBody.FileRegion region, boolean owned) {
            this.region = region;
            this.owned = owned;
            this.position = region.position();
            this.remaining = region.count();
        }
    }

    /** Queued after a composite body's last part: reached once every part is written. */
    private record Release(ResponseBody body) {
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
        items.add(new PendingFile(file, true));
        queuedBytes += file.count();
    }

    /** Queues any body; the queue releases it once sent, or in {@link #release()}. */
    void add(ResponseBody body) {
        if (body instanceof ResponseBody.Bytes bytes) {
            add(bytes.content().duplicate());
        } else if (body instanceof ResponseBody.FileRegion file) {
            add(file);
        } else if (body instanceof ResponseBody.Composite composite) {
            for (ResponseBody part : composite.parts()) {
                if (part instanceof ResponseBody.Bytes bytes) {
                    add(bytes.content().duplicate());
                } else if (part instanceof ResponseBody.FileRegion file && file.count() > 0) {
                    items.add(new PendingFile(file, false));
                    queuedBytes += file.count();
                }
            }
            items.add(new Release(composite));
        }
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    long queuedBytes() {
        return queuedBytes;
    }

    /**
     * Writes as much as the transport takes.
     *
     * @return bytes written; the queue is drained when {@link #isEmpty()}
     * @throws IOException if the peer is gone, or a file being sent shrank
     */
    long flush(Transport transport) throws IOException {
        long total = 0;
        while (!items.isEmpty()) {
            Object next = items.peek();
            if (next instanceof Release release) {
                items.poll();
                release.body().release();
                continue;
            }
            long written = next instanceof PendingFile file ? writeFile(transport, file) : writeBuffers(transport);
            total += written;
            queuedBytes -= written;
            if (written == 0) {
                break;
            }
        }
        return total;
    }

    private long writeBuffers(Transport transport) throws IOException {
        int count = 0;
        for (Object item : items) {
            if (!(item instanceof ByteBuffer buffer) || count == MAX_GATHER) {
                break;
            }
            gather[count++] = buffer;
        }
        long written = transport.write(gather, 0, count);
        for (int i = 0; i < count && !gather[i].hasRemaining(); i++) {
            items.poll();
        }
        java.util.Arrays.fill(gather, 0, count, null);
        return written;
    }

    private long writeFile(Transport transport, PendingFile file) throws IOException {
        long written = transport.transferFile(file.region.channel(), file.position, file.remaining);
        if (written == 0 && file.position >= file.region.channel().size()) {
            throw new IOException("File shrank while being sent");
        }
        file.position += written;
        file.remaining -= written;
        if (file.remaining == 0) {
            items.poll();
            if (file.owned) {
                file.region.release();
            }
        }
        return written;
    }

    /** Drops everything queued, closing any open file. */
    void release() {
        for (Object item : items) {
            if (item instanceof PendingFile file && file.owned) {
                file.region.release();
            } else if (item instanceof Release release) {
                release.body().release();
            }
        }
        items.clear();
        queuedBytes = 0;
    }
}
