package dev.pier.server;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Heap in use after asking for a full collection: a rough reading, for leaks of many megabytes, not bytes. */
final class HeapAfterCollection {

    /** What the heap may grow by between two readings without a leak: class loading, JIT, caches warming up. */
    static final long MARGIN = 24L * 1024 * 1024;

    private HeapAfterCollection() {
    }

    static long used() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        // A few collections, keeping the lowest reading: one may run while other threads still allocate.
        for (int i = 0; i < 3; i++) {
            memory.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
