package dev.pier.files;

import dev.pier.http.ResponseBody;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import lombok.extern.slf4j.Slf4j;

/**
 * gzip forms of files, compressed on first request and kept in a {@link MemoryCache}: a file
 * replaced since is compressed again.
 *
 * <p>Compression runs on the calling event loop, and so must be cheap: callers compress only files
 * up to {@code pier.compression.max-size} (1MB by default: tens of milliseconds once per file
 * version, then memory speed), and larger text is better served precompressed ({@code file.gz},
 * {@code file.br}). The JDK's {@link GZIPOutputStream} writes no timestamp or name, so the same
 * file always compresses to the same bytes and the strong tag {@link EntityTag} gives them holds.
 *
 * <p>Thread-safe: every event loop shares one cache.
 */
@Slf4j
final class CompressionCache {

    private final MemoryCache memory;

    /** @param capacity most compressed bytes to hold; 0 keeps nothing, so every response compresses anew */
    CompressionCache(long capacity) {
        this.memory = new MemoryCache(capacity);
    }

    /**
     * The file's gzip form, from memory while the file is unchanged.
     *
     * @param file a regular file's real path
     * @param size its size when it was resolved
     * @param modified its modification time then, in nanoseconds
     * @return the compressed bytes, or {@code null} if the file cannot be read or is no longer that version
     */
    ResponseBody.Bytes gzip(Path file, long size, long modified) {
        return memory.get(file, size, modified, () -> {
            byte[] compressed = compress(file, size, modified);
            return compressed == null ? null : ResponseBody.Bytes.of(compressed);
        });
    }

    /** Compressed bytes held now. */
    long held() {
        return memory.held();
    }

    /** Files held now. */
    int count() {
        return memory.count();
    }

    /** Reads the version resolved and gzips it; null if the file changed or cannot be read. */
    private static byte[] compress(Path file, long size, long modified) {
        if (size > Integer.MAX_VALUE - 64) {
            return null;
        }
        ByteBuffer content = ByteBuffer.allocate((int) size);
        if (!FileBodies.readVersion(file, size, modified, content)) {
            return null;
        }
        try {
            // Text compresses to a fifth or so; start there to avoid most regrowth.
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(64, size / 4));
            try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
                gzip.write(content.array(), 0, (int) size);
            }
            return out.toByteArray();
        } catch (IOException e) {
            log.debug("Could not compress {}", file, e);
            return null;
        }
    }
}
