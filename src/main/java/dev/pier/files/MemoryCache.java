package dev.pier.files;

import dev.pier.http.ResponseBody;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Bytes made from files, kept in memory and dropped least recently used first once they pass a
 * capacity. An entry remembers the size and modification time of the file it came from: a file
 * replaced since is a miss and is loaded again, and its new bytes take the old ones' place, so a
 * busy site never holds two versions of one file.
 *
 * <p>Thread-safe: every event loop shares one cache. The lock covers map updates only; two loops
 * missing the same file at once both load it, which costs time but never correctness.
 */
final class MemoryCache {

    private record Entry(long size, long modified, ResponseBody.Bytes body) {
    }

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final long capacity;
    /** Access-ordered: iteration starts at the least recently used entry. Guarded by {@code this}. */
    private final LinkedHashMap<Path, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    /** Bytes held; guarded by {@code this}. */
    private long held;

    /** @param capacity most bytes to hold; 0 keeps nothing, so every request loads anew */
    MemoryCache(long capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("Negative capacity " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * The bytes made from this version of the file, from memory or from the loader.
     *
     * @param file a regular file's real path
     * @param size its size when it was resolved
     * @param modified its modification time then, in nanoseconds
     * @param loader makes the bytes; returns {@code null} if the file cannot be read or has changed
     * @return the bytes, or {@code null} when the loader gave none
     */
    ResponseBody.Bytes get(Path file, long size, long modified, Supplier<ResponseBody.Bytes> loader) {
        synchronized (this) {
            Entry entry = entries.get(file);
            if (entry != null && entry.size == size && entry.modified == modified) {
                hits.increment();
                return entry.body;
            }
        }
        misses.increment();
        ResponseBody.Bytes body = loader.get();
        if (body != null) {
            store(file, new Entry(size, modified, body));
        }
        return body;
    }

    /** Requests answered from memory so far. */
    long hits() {
        return hits.sum();
    }

    /** Requests that had to load the file (first time, changed, or dropped) so far. */
    long misses() {
        return misses.sum();
    }

    /** Bytes held now. */
    synchronized long held() {
        return held;
    }

    /** Files held now. */
    synchronized int count() {
        return entries.size();
    }

    private synchronized void store(Path file, Entry entry) {
        long bytes = entry.body.length();
        Entry replaced = entries.remove(file);
        if (replaced != null) {
            held -= replaced.body.length();
        }
        if (bytes > capacity) {
            return;
        }
        entries.put(file, entry);
        held += bytes;
        for (Iterator<Map.Entry<Path, Entry>> eldest = entries.entrySet().iterator(); held > capacity && eldest.hasNext(); ) {
            held -= eldest.next().getValue().body.length();
            eldest.remove();
        }
    }
}
