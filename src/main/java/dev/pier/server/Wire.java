package dev.pier.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import lombok.extern.slf4j.Slf4j;

/**
 * The socket side of a client connection, whichever protocol speaks over it: an HTTP/1.1
 * {@link Connection} first, an {@link Http2Session} if the connection turns into one, which takes
 * this over as it is. It writes the outbound queue through the transport, counts what left, shuts
 * the output for a lingering close, sets the selector's interest and closes the socket, counting
 * the connection closed once. Loop thread only.
 */
@Slf4j
final class Wire {

    final EventLoop loop;
    final Transport transport;
    final SelectionKey key;
    final OutboundQueue outbound;
    private final Listening listening;
    private final InetSocketAddress peer;
    private final ServerStats stats;
    private boolean closed;

    Wire(EventLoop loop, Transport transport, SelectionKey key, OutboundQueue outbound, Listening listening, InetSocketAddress peer) {
        this.loop = loop;
        this.transport = transport;
        this.key = key;
        this.outbound = outbound;
        this.listening = listening;
        this.peer = peer;
        this.stats = listening.stats();
    }

    /**
     * Writes what the socket takes, and what the transport still holds once the queue is empty.
     *
     * @param owner the connection, for the log
     * @return bytes written now, or -1 if the peer is gone: the caller closes
     */
    long flush(Object owner) {
        long before = outbound.written();
        try {
            outbound.flush(transport);
            if (outbound.isEmpty()) {
                transport.flush();
            }
            long written = outbound.written() - before;
            stats.written(written);
            return written;
        } catch (IOException e) {
            // Bytes the flush wrote before the peer went away were sent all the same.
            stats.written(outbound.written() - before);
            log.debug("Write failed; closing {}", owner, e);
            stats.clientAborted();
            return -1;
        }
    }

    /** The response is out: nothing queued, nothing held by the transport (encrypted bytes not yet written). */
    boolean allSent() {
        return outbound.isEmpty() && !transport.hasPendingOutput();
    }

    /** Ends the output (TLS says {@code close_notify} first), so the client reads to the end rather than meet a reset; false if that failed. */
    boolean shutdownOutput() {
        try {
            transport.shutdownOutput();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads and discards what the client still sends while the connection lingers; false once it has closed (or failed): close then. */
    boolean discardInput() {
        try {
            return transport.discardInput(loop.readScratch()) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the client has sent nothing since, or has closed: nothing a close could reset. */
    boolean nothingMoreSent() {
        try {
            return transport.discardInput(loop.readScratch()) <= 0;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Waits for these operations, with what the transport adds (a handshake's wants, its own
     * pending output), never reading once {@code inputEnded}.
     */
    void interest(int wanted, boolean inputEnded) {
        int ops = transport.interestOps(wanted);
        if (inputEnded) {
            ops &= ~SelectionKey.OP_READ;
        }
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    /**
     * Closes the socket and counts the connection closed, once, whoever calls.
     *
     * @param clean whether nothing is half sent or half read (a TLS peer may then be told the end is deliberate)
     */
    void close(boolean clean) {
        if (closed) {
            return;
        }
        closed = true;
        key.cancel();
        outbound.release();
        transport.close(clean);
        loop.released();
        listening.closed(peer);
    }
}
