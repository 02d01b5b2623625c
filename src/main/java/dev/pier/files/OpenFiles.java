package dev.pier.files;

import dev.pier.http.ResponseBody;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Files sent with {@code sendfile} kept open between requests, as nginx's {@code open_file_cache}
 * keeps descriptors: a repeated request then costs no {@code open}, {@code fstat} and {@code close},
 * which took about 14% of the server's CPU sending a 64 KiB file over and over.
 *
 * <p>A channel is shared only for the version of the file it was opened for (same size and
 * modification time as the caller resolved) and only while younger than the revalidation window,
 * so a descriptor of a replaced or deleted file is not used after one window, and is closed at the
 * first request for any file after two: stale channels are dropped on the way, at most once a
 * window. Channels are reference-counted: the cache holds one claim and every response sending it
 * another, so a channel dropped while a slow client is still downloading stays open until that
 * response is done. Bounded by count; past the bound the cache starts over. Thread-safe.
 */
final class OpenFiles {

    private static final class Handle {
        final FileChannel channel;
        final long size;
        final long modified;
        final long openedAt;
        /** The cache's claim plus one per response; the channel closes when it reaches zero, and is never claimed again. */
        final AtomicInteger claims = new AtomicInteger(1);

        Handle(FileChannel channel, long size, long modified, long openedAt) {
            this.channel = channel;
            this.size = size;
            this.modified = modified;
            this.openedAt = openedAt;
        }

        boolean claim() {
            for (int current = claims.get(); current > 0; current = claims.get()) {
                if (claims.compareAndSet(current, current + 1)) {
                    return true;
                }
            }
            return false;
        }

        void release() {
            if (claims.decrementAndGet() == 0) {
                FileBodies.close(channel);
            }
        }
    }

    private final int maxFiles;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Map<Path, Handle> handles = new ConcurrentHashMap<>();
    private volatile long sweptAt;

    /**
     * @param maxFiles most files kept open; 0 opens every file for its response only
     * @param windowNanos how long one opened channel may serve; 0 keeps none open
     */
    OpenFiles(int maxFiles, long windowNanos, LongSupplier nanoTime) {
        this.maxFiles = windowNanos > 0 ? maxFiles : 0;
        this.windowNanos = windowNanos;
        this.nanoTime = nanoTime;
        this.sweptAt = nanoTime.getAsLong();
    }

    /**
     * The whole file as resolved, from a channel kept open when possible.
     *
     * @param size its size when it was resolved
     * @param modified its modification time then, in nanoseconds
     * @return the body, or {@code null} if the file cannot be opened, or is no longer the version resolved
     */
    ResponseBody.FileRegion whole(Path file, long size, long modified) {
        return open(file, size, modified, 0, -1);
    }

    /**
     * A region of the file as resolved, from a channel kept open when possible.
     *
     * @return the body, or {@code null} if the file cannot be opened, or is no longer the version resolved
     */
    ResponseBody.FileRegion region(Path file, long size, long modified, long position, long count) {
        return open(file, size, modified, position, count);
    }

    /** @param count bytes from {@code position}, or -1 for the whole file */
    private ResponseBody.FileRegion open(Path file, long size, long modified, long position, long count) {
        long now = nanoTime.getAsLong();
        if (now - sweptAt >= windowNanos && maxFiles > 0) {
            sweptAt = now;
            drop(handle -> now - handle.openedAt >= windowNanos);
        }
        Handle known = maxFiles == 0 ? null : handles.get(file);
        // A channel closed under us (an interrupted transfer closes it for every sharer) is replaced, not handed out.
        if (known != null && known.size == size && known.modified == modified && now - known.openedAt < windowNanos
                && known.channel.isOpen() && known.claim()) {
            return shared(known, position, count < 0 ? size : count);
        }
        FileChannel channel = FileBodies.openVersion(file, size, modified);
        if (channel == null) {
            return null;
        }
        if (maxFiles == 0) {
            return new ResponseBody.FileRegion(channel, position, count < 0 ? size : count);
        }
        Handle opened = new Handle(channel, size, modified, now);
        opened.claim();
        keep(file, opened);
        return shared(opened, position, count < 0 ? size : count);
    }

    /** Files kept open now, for metrics and tests. */
    int count() {
        return handles.size();
    }

    private void keep(Path file, Handle opened) {
        if (handles.size() >= maxFiles) {
            drop(handle -> true);
        }
        Handle replaced = handles.put(file, opened);
        if (replaced != null) {
            replaced.release();
        }
    }

    private void drop(Predicate<Handle> stale) {
        for (Map.Entry<Path, Handle> entry : handles.entrySet()) {
            // Removed only if still this handle: another thread may just have put a fresh one.
            if (stale.test(entry.getValue()) && handles.remove(entry.getKey(), entry.getValue())) {
                entry.getValue().release();
            }
        }
    }

    private static ResponseBody.FileRegion shared(Handle handle, long position, long count) {
        return new ResponseBody.FileRegion(handle.channel, position, count, handle::release);
    }
}
