package dev.pier.server;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts one listener's open connections, from the moment they are accepted until they close: it
 * tells the acceptor when the listener is at its connection limit and when a slot frees again, and
 * once a graceful shutdown has begun, completes when the last one closes. Each listener has its
 * own, so connections on the management listener neither hold a shutdown open nor use up the
 * application's slots: probes still get through when the application is full.
 */
final class Drain {

    private final int limit;
    private final AtomicInteger open = new AtomicInteger();
    private final CompletableFuture<Void> idle = new CompletableFuture<>();
    /** Acceptors waiting for a slot, one per loop at most; taken by whichever thread frees one. */
    private final Queue<Runnable> slotWaiters = new ConcurrentLinkedQueue<>();
    private volatile boolean draining;

    /** @param limit most connections open at once */
    Drain(int limit) {
        this.limit = limit;
    }

    /** A connection was accepted; the acceptor's thread only. */
    void opened() {
        open.incrementAndGet();
    }

    /** A connection closed; any thread. */
    void closed() {
        int now = open.decrementAndGet();
        if (now == 0 && draining) {
            idle.complete(null);
        }
        if (now < limit) {
            wakeSlotWaiters();
        }
    }

    boolean atLimit() {
        return open.get() >= limit;
    }

    /**
     * Runs the task once a connection closes and the count is below the limit, or at once if it
     * already is. The check after publishing the task closes the race with a connection that
     * closed just before.
     */
    void whenSlotFree(Runnable task) {
        slotWaiters.add(task);
        if (!atLimit()) {
            wakeSlotWaiters();
        }
    }

    private void wakeSlotWaiters() {
        Runnable waiter;
        while ((waiter = slotWaiters.poll()) != null) {
            waiter.run();
        }
    }

    /** From now on responses close their connections; completes the future at once if none is open. */
    CompletableFuture<Void> begin() {
        draining = true;
        if (open.get() == 0) {
            idle.complete(null);
        }
        return idle;
    }

    boolean draining() {
        return draining;
    }

    int open() {
        return open.get();
    }
}
