package dev.pier.server;

import dev.pier.http.ResponseBody;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Bytes and file regions waiting for a connection's socket, written in order through its
 * {@link Transport}. Consecutive buffers go out in one gathering write (pipelined responses
 * coalesce); files go out with {@code transferTo}, never through the heap, unless TLS must read
 * them to encrypt them. A composite body is queued part by part, its file
 * regions (which may share one channel) released together when its last part is written. Owned by
 * the connection's event loop thread.
 *
 * <p>Buffers followed by a file (a response head and its file body) take the file's first bytes
 * with them, up to the end of a full segment, so the head never leaves as a small packet of its
 * own: what nginx gets from {@code tcp_nopush}, which Java 17 cannot ask of a socket.
 */
final class OutboundQueue {

    private static final int MAX_GATHER = 16;
    /** A full TCP segment on Ethernet (1,500-byte MTU, with timestamps) over IPv4; the head and the file's lead fill one. */
    static final int SEGMENT = 1448;
    /** The same over IPv6, whose header is 20 bytes longer. */
    private static final int SEGMENT_IPV6 = 1428;

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
    /** The loop's buffer for a file's lead: read and written within one flush, so shared by its connections. */
    private final ByteBuffer lead;
    private final int segment;
    private long queuedBytes;
    /** Bytes written since the queue was made; kept here, so a write that fails part-way loses no count. */
    private long written;

    /**
     * @param lead a direct buffer of at least {@link #SEGMENT} bytes, shared by the loop's connections
     * @param peer the connection's remote address, whose family sets the segment size
     */
    OutboundQueue(ByteBuffer lead, InetAddress peer) {
        this.lead = lead;
        // Java reports an IPv4 peer of a dual-stack socket as an Inet4Address.
        this.segment = peer instanceof Inet6Address ? SEGMENT_IPV6 : SEGMENT;
    }

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

    /** Bytes written through the transport since the queue was made, however many flushes it took. */
    long written() {
        return written;
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
            long wrote = next instanceof PendingFile file ? writeFile(transport, file) : writeBuffers(transport);
            total += wrote;
            written += wrote;
            queuedBytes -= wrote;
            if (wrote == 0) {
                break;
            }
        }
        return total;
    }

    private long writeBuffers(Transport transport) throws IOException {
        int count = 0;
        long buffered = 0;
        PendingFile following = null;
        for (Object item : items) {
            if (item instanceof ByteBuffer buffer && count < MAX_GATHER - 1) {
                gather[count++] = buffer;
                buffered += buffer.remaining();
            } else {
                following = item instanceof PendingFile file ? file : null;
                break;
            }
        }
        boolean withLead = following != null && readLead(following, buffered);
        if (withLead) {
            gather[count] = lead;
        }
        long written = transport.write(gather, 0, withLead ? count + 1 : count);
        for (int i = 0; i < count && !gather[i].hasRemaining(); i++) {
            items.poll();
        }
        java.util.Arrays.fill(gather, 0, count + 1, null);
        if (withLead && written > buffered) {
            advance(following, written - buffered);
        }
        return written;
    }

    /** Reads into {@link #lead} the file's bytes that fill the segment the buffers end in; false if there are none. */
    private boolean readLead(PendingFile file, long buffered) throws IOException {
        long want = Math.min(file.remaining, segment - buffered % segment);
        lead.clear().limit((int) want);
        int read = file.region.channel().read(lead, file.position);
        lead.flip();
        return read > 0;
    }

    private long writeFile(Transport transport, PendingFile file) throws IOException {
        long written = transport.transferFile(file.region.channel(), file.position, file.remaining);
        if (written == 0 && file.position >= file.region.channel().size()) {
            throw new IOException("File shrank while being sent");
        }
        advance(file, written);
        return written;
    }

    /** The file at the head of the queue has had this many more of its bytes written. */
    private void advance(PendingFile file, long written) {
        file.position += written;
        file.remaining -= written;
        if (file.remaining == 0) {
            items.poll();
            if (file.owned) {
                file.region.release();
            }
        }
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
