package dev.pier.files;

import dev.pier.http.ResponseBody;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import lombok.extern.slf4j.Slf4j;

/**
 * Small files held in memory, so their responses leave in one gathering write of head and body
 * (one packet for a small file, where head plus {@code sendfile} takes two and five more system
 * calls to open, measure and close the file). Held in direct buffers, which the socket writes
 * without the copy a heap buffer costs. Larger files go out zero-copy from disk instead.
 */
@Slf4j
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
        ResponseBody.Bytes held = memory.find(file, size, modified);
        if (held != null) {
            return held;
        }
        ResponseBody.Bytes read = read(file, size);
        // Replaced by a file of the same size since it was resolved: not the version the validators describe.
        if (read == null || !FileBodies.isVersion(file, size, modified)) {
            return null;
        }
        memory.put(file, size, modified, read);
        return read;
    }

    /** What this cache has done so far and holds now. */
    FileCacheStats stats(long gzipBytes, int openFiles) {
        return new FileCacheStats(memory.hits(), memory.misses(), memory.held(), memory.count(), gzipBytes, openFiles);
    }

    private static ResponseBody.Bytes read(Path file, long size) {
        FileChannel channel = FileBodies.open(file);
        if (channel == null) {
            return null;
        }
        try (channel) {
            if (channel.size() != size) {
                // Replaced since it was resolved: holding the new bytes under the old size and time would serve a lie.
                return null;
            }
            ByteBuffer content = ByteBuffer.allocateDirect((int) size);
            while (content.hasRemaining() && channel.read(content) >= 0) {
                // read until full
            }
            return content.hasRemaining() ? null : new ResponseBody.Bytes(content.flip());
        } catch (IOException e) {
            log.debug("Could not read {}", file, e);
            return null;
        }
    }
}
