package dev.pier.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import lombok.extern.slf4j.Slf4j;

/**
 * One event loop's share of a listening socket. The socket is registered with every loop's
 * selector and each loop accepts for itself, keeping what it accepts unless another loop serves
 * fewer connections: then the connection goes there, so that a handful of long downloads, accepted
 * in one burst by whichever loop woke first, still spread over every core. With many short
 * connections the loads stay even and nothing crosses threads.
 *
 * <p>Two things pause accepting. At the listener's connection limit it stops asking for
 * {@code OP_ACCEPT} until a connection closes: newcomers wait in the kernel's accept queue
 * ({@code pier.backlog}) and are taken as slots free, and once that queue is full the kernel drops
 * further SYNs, which clients retry. The alternative, accept and close at once, costs a file
 * descriptor and two system calls per attempt, spins under a connection storm, and answers the
 * client with a bare reset instead of a short wait, so Pier does what nginx does when
 * {@code worker_connections} run out: leaves them queued. When accepting fails (out of file
 * descriptors, say) it pauses for 100 ms rather than spin on a listener that stays ready.
 *
 * <p>The cap per client address ({@link ConnectionsPerAddress}) is the opposite case: the limit
 * is one client's, not the server's, so waiting in the queue would hold everyone else up behind
 * it. Such a connection is accepted and reset at once, before anything is read or a TLS
 * handshake begins, as HAProxy's {@code tcp-request connection reject} does.
 */
@Slf4j
final class Acceptor implements Selectable {

    private static final int ACCEPTS_PER_TURN = 64;
    private static final long PAUSE_NANOS = 100_000_000L;
    private static final long LIMIT_WARNING_INTERVAL_NANOS = 60_000_000_000L;

    private final ServerSocketChannel listener;
    private final EventLoop home;
    private final EventLoop[] loops;
    private final Listening listening;
    private final Drain drain;
    private final ServerStats stats;
    private final Handoff onAccepted;
    private final Deadline resume = new Deadline() {
        @Override
        void expire(long nowNanos) {
            pausedOnError = false;
            updateInterest();
        }
    };
    // Home loop thread only.
    private SelectionKey key;
    private boolean pausedOnError;
    private boolean pausedAtLimit;
    private long limitWarnedAt;
    private boolean limitWarned;

    /** Takes an accepted channel over on the chosen loop's thread. */
    @FunctionalInterface
    interface Handoff {

        /**
         * The connection is already counted as open in the listening's drain, stats and cap per
         * address, and in the loop's load; {@link Listening#closed} gives the first three back.
         */
        void take(EventLoop loop, SocketChannel channel, InetSocketAddress peer);
    }

    /**
     * @param listening the listener's drain (its connections and connection limit), the stats and
     *     the cap per address
     * @param loops every loop, to balance connections over
     */
    Acceptor(ServerSocketChannel listener, EventLoop home, EventLoop[] loops, Listening listening, Handoff onAccepted) {
        this.listener = listener;
        this.home = home;
        this.loops = loops;
        this.listening = listening;
        this.drain = listening.drain();
        this.stats = listening.stats();
        this.onAccepted = onAccepted;
    }

    /** Registers with the home loop; runs on its thread. */
    void register() throws IOException {
        key = listener.register(home.selector(), SelectionKey.OP_ACCEPT, this);
    }

    @Override
    public void onReady(int readyOps) {
        for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
            if (drain.atLimit()) {
                pauseAtLimit();
                return;
            }
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                stats.acceptFailed();
                log.warn("Accepting a connection failed ({}); pausing accepts for 100 ms", e.getMessage());
                pausedOnError = true;
                updateInterest();
                home.deadlines().arm(resume, home.now() + PAUSE_NANOS);
                return;
            }
            if (channel == null) {
                return;
            }
            InetSocketAddress peer = peerOf(channel);
            if (peer == null || !admitted(channel, peer)) {
                continue;
            }
            drain.opened();
            stats.connectionAccepted();
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                log.debug("Could not configure an accepted connection", e);
                closeQuietly(channel);
                listening.closed(peer);
                continue;
            }
            EventLoop target = leastLoaded();
            target.assigned();
            if (target == home) {
                onAccepted.take(home, channel, peer);
            } else {
                target.execute(() -> onAccepted.take(target, channel, peer));
            }
        }
    }

    /** The client's address, known since the accept; {@code null} (and the channel closed) if the channel is already unusable. */
    private static InetSocketAddress peerOf(SocketChannel channel) {
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            log.debug("Could not read an accepted connection's peer address", e);
            closeQuietly(channel);
            return null;
        }
    }

    /**
     * Whether the peer's address is within its cap, counting the connection there if so; if not,
     * the connection is reset: no FIN handshake and no TIME_WAIT left on the server per refusal,
     * which a client retrying in a loop would otherwise pile up.
     */
    private boolean admitted(SocketChannel channel, InetSocketAddress peer) {
        ConnectionsPerAddress perAddress = listening.perAddress();
        if (perAddress == null || perAddress.tryOpen(peer.getAddress())) {
            return true;
        }
        // Counted before the reset, so a client that sees its connection end also sees it counted.
        stats.refusedPerAddress();
        perAddress.refused(peer.getAddress(), home.now());
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException e) {
            log.debug("Could not set SO_LINGER on a refused connection; closing it gracefully", e);
        }
        closeQuietly(channel);
        return false;
    }

    /** The loop serving the fewest connections; this one when it is among them. */
    private EventLoop leastLoaded() {
        EventLoop best = home;
        for (EventLoop loop : loops) {
            if (loop.load() < best.load()) {
                best = loop;
            }
        }
        return best;
    }

    private void pauseAtLimit() {
        pausedAtLimit = true;
        stats.pausedAtConnectionLimit();
        long now = home.now();
        if (!limitWarned || now - limitWarnedAt > LIMIT_WARNING_INTERVAL_NANOS) {
            limitWarned = true;
            limitWarnedAt = now;
            log.warn("{} connections open, the limit (pier.limits.connections); new ones wait in the accept queue until one closes",
                    drain.open());
        }
        updateInterest();
        drain.whenSlotFree(() -> home.execute(this::resumeBelowLimit));
    }

    private void resumeBelowLimit() {
        pausedAtLimit = false;
        updateInterest();
    }

    private void updateInterest() {
        if (key != null && key.isValid()) {
            key.interestOps(pausedOnError || pausedAtLimit ? 0 : SelectionKey.OP_ACCEPT);
        }
    }

    /** Closing the listener first makes new connections fail at once instead of queueing unserved. */
    @Override
    public void onDrain() {
        if (drain.draining()) {
            close();
        }
    }

    @Override
    public void close() {
        home.deadlines().disarm(resume);
        try {
            listener.close();
        } catch (IOException e) {
            log.debug("Closing the listener failed", e);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing was sent on it.
        }
    }
}
