package dev.pier.files;

import dev.pier.http.ResponseBody;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Small files held in memory, so their responses leave in one gathering write of head and body
 * (one packet for a small file, where head plus {@code sendfile} takes two and five more system
 * calls to open, measure and close the file). Held in direct buffers, which the socket writes
 * without the copy a heap buffer costs. Larger files go out zero-copy from disk instead.
 */
final class ContentCache {

    private final MemoryCache memory;
    private final long maxFileSize;

    /**
     * @param capacity most bytes to hold
     * @param maxFileSize largest file held; 0 holds none
     */
    ContentCache(long capacity, long maxFileSize) {
        this.memory = new MemoryCache(capacity);
        this.maxFileSize = Math.min(maxFileSize, capacity);
    }

    /** Whether a file of this size is served from memory. */
    boolean holds(long size) {
        return size <= maxFileSize;
    }

    /**
     * The file's bytes, from memory while the file is unchanged.
     *
     * @return the bytes, or {@code null} if the file cannot be read or is no longer that version
     */
    ResponseBody.Bytes bytes(Path file, long size, long modified) {
        return memory.get(file, size, modified, () -> {
            ByteBuffer content = ByteBuffer.allocateDirect((int) size);
            return FileBodies.readVersion(file, size, modified, content) ? new ResponseBody.Bytes(content.flip()) : null;
        });
    }

    /** What this cache has done so far and holds now. */
    FileCacheStats stats(long gzipBytes, int openFiles) {
        return new FileCacheStats(memory.hits(), memory.misses(), memory.held(), memory.count(), gzipBytes, openFiles);
    }
}
