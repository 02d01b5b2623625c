package dev.pier.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the application listener's open connections and, once a graceful shutdown has begun,
 * completes when the last one closes. Connections on the management listener are not counted:
 * probes must not hold a shutdown open.
 */
final class Drain {

    private final AtomicInteger open = new AtomicInteger();
    private final CompletableFuture<Void> idle = new CompletableFuture<>();
    private volatile boolean draining;

    void opened() {
        open.incrementAndGet();
    }

    void closed() {
        if (open.decrementAndGet() == 0 && draining) {
            idle.complete(null);
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
