package dev.pier.server;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.BiConsumer;
import lombok.extern.slf4j.Slf4j;

/**
 * The listening socket, registered on one loop; hands accepted connections to the loops in turn.
 * When accepting fails (out of file descriptors, say) it pauses briefly rather than spin on a
 * listener that stays ready.
 */
@Slf4j
final class Acceptor implements Selectable {

    private static final int ACCEPTS_PER_TURN = 64;
    private static final long PAUSE_NANOS = 100_000_000L;

    private final ServerSocketChannel listener;
    private final EventLoop home;
    private final EventLoop[] loops;
    private final Drain drain;
    private final BiConsumer<EventLoop, SocketChannel> onAccepted;
    private final Deadline resume = new Deadline() {
        @Override
        void expire(long nowNanos) {
            if (key != null && key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        }
    };
    private SelectionKey key;
    private int next;

    /**
     * @param onAccepted runs on the chosen loop's thread to take the channel over
     */
    Acceptor(ServerSocketChannel listener, EventLoop home, EventLoop[] loops, Drain drain, BiConsumer<EventLoop, SocketChannel> onAccepted) {
        this.listener = listener;
        this.home = home;
        this.loops = loops;
        this.drain = drain;
        this.onAccepted = onAccepted;
    }

    /** Registers with the home loop; runs on its thread. */
    void register() throws IOException {
        key = listener.register(home.selector(), SelectionKey.OP_ACCEPT, this);
    }

    @Override
    public void onReady(int readyOps) {
        for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                log.warn("Accepting a connection failed ({}); pausing accepts for 100 ms", e.getMessage());
                key.interestOps(0);
                home.deadlines().arm(resume, home.now() + PAUSE_NANOS);
                return;
            }
            if (channel == null) {
                return;
            }
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                log.debug("Could not configure an accepted connection", e);
                closeQuietly(channel);
                continue;
            }
            EventLoop loop = loops[next];
            next = (next + 1) % loops.length;
            loop.execute(() -> onAccepted.accept(loop, channel));
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
