package dev.pier.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * The encrypting half of a {@link TlsTransport}: wraps application bytes (or the engine's own
 * handshake and alert messages) into the loop's scratch buffer, up to
 * {@link TlsScratch#RECORDS_PER_WRITE} records at a time, writes them, and keeps what the socket
 * does not take in a buffer of the connection's own until a later write takes it. Nothing more is
 * encrypted while such bytes wait, which bounds a slow reader's cost. Loop thread only.
 */
final class TlsOutput {

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final TlsScratch scratch;

    /** Encrypted bytes the socket has not taken; read mode; {@code null} when none. */
    private ByteBuffer pending;
    /** Bytes the last {@link #wrapAndWrite} produced: a wrap that produces nothing must not be retried at once. */
    private int lastProduced;
    /** A wrap has reported the handshake finished (TLS 1.2's full handshake ends with the server's Finished). */
    private boolean handshakeFinished;
    /** {@code close_notify} is under way: the socket's output is shut once it is written. */
    private boolean closing;
    private boolean outputShut;

    TlsOutput(SocketChannel channel, SSLEngine engine, TlsScratch scratch) {
        this.channel = channel;
        this.engine = engine;
        this.scratch = scratch;
    }

    /**
     * Encrypts as much of the sources (or, with none left, of the engine's own messages) as the
     * scratch buffer holds, writes it and keeps what the socket does not take. Stops early when the
     * engine wants to compute ({@code NEED_TASK}) or to read. Call only with nothing pending.
     *
     * @return bytes of the sources consumed
     */
    long wrapAndWrite(ByteBuffer[] sources, int offset, int length) throws IOException {
        ByteBuffer net = scratch.netOut.clear();
        int packet = engine.getSession().getPacketBufferSize();
        long consumed = 0;
        while (true) {
            SSLEngineResult result = engine.wrap(sources, offset, length, net);
            consumed += result.bytesConsumed();
            if (result.getStatus() == Status.BUFFER_OVERFLOW) {
                if (net.position() > 0) {
                    break;
                }
                net = scratch.netOut = ByteBuffer.allocate(Math.max(packet, 2 * net.capacity()));
                continue;
            }
            if (result.getStatus() == Status.CLOSED && result.bytesProduced() == 0) {
                if (consumed == 0 && hasRemaining(sources, offset, length)) {
                    throw new SSLException("The TLS connection is closed");
                }
                break;
            }
            HandshakeStatus status = result.getHandshakeStatus();
            if (status == HandshakeStatus.FINISHED || status == HandshakeStatus.NOT_HANDSHAKING) {
                handshakeFinished = true;
            }
            HandshakeStatus next = engine.getHandshakeStatus();
            if (next == HandshakeStatus.NEED_TASK || result.bytesProduced() == 0
                    || next != HandshakeStatus.NEED_WRAP && !hasRemaining(sources, offset, length) || net.remaining() < packet) {
                break;
            }
        }
        net.flip();
        lastProduced = net.remaining();
        if (net.hasRemaining()) {
            channel.write(net);
            if (net.hasRemaining()) {
                pending = ByteBuffer.allocate(net.remaining()).put(net).flip();
            }
        }
        shutOutputOnceClosed();
        return consumed;
    }

    private static boolean hasRemaining(ByteBuffer[] sources, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (sources[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** Writes encrypted bytes left from before; returns whether none remain. */
    boolean flushPending() throws IOException {
        if (pending == null) {
            return true;
        }
        channel.write(pending);
        if (pending.hasRemaining()) {
            return false;
        }
        pending = null;
        shutOutputOnceClosed();
        return true;
    }

    /** From now on, once the engine's output is done ({@code close_notify} wrapped) and written, the socket's output is shut. */
    void shutOutputWhenDone() throws IOException {
        closing = true;
        shutOutputOnceClosed();
    }

    private void shutOutputOnceClosed() throws IOException {
        if (closing && pending == null && !outputShut && engine.isOutboundDone()) {
            outputShut = true;
            channel.shutdownOutput();
        }
    }

    boolean hasPending() {
        return pending != null;
    }

    boolean closing() {
        return closing;
    }

    int lastProduced() {
        return lastProduced;
    }

    boolean handshakeFinished() {
        return handshakeFinished;
    }

    /** Forgets what waits: the connection is closing. */
    void drop() {
        pending = null;
    }
}
