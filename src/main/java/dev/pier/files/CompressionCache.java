package dev.pier.files;

import dev.pier.http.ResponseBody;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import lombok.extern.slf4j.Slf4j;

/**
 * gzip forms of files, compressed on first request and kept in memory, least recently used out
 * first once their bytes pass the capacity. An entry remembers the size and modification time of
 * the file it came from: a file replaced since is a miss and is compressed again, and its new form
 * takes the old one's place, so a busy site never holds two forms of one path.
 *
 * <p>Compression runs on the calling event loop, and so must be cheap: callers compress only files
 * up to {@code pier.compression.max-size} (1MB by default: tens of milliseconds once per file
 * version, then memory speed), and larger text is better served precompressed ({@code file.gz},
 * {@code file.br}). The JDK's {@link GZIPOutputStream} writes no timestamp or name, so the same
 * file always compresses to the same bytes and the strong tag {@link EntityTag} gives them holds.
 *
 * <p>Thread-safe: every event loop shares one cache. The lock covers map updates only; two loops
 * missing the same file at once both compress it, which costs time but never correctness.
 */
@Slf4j
final class CompressionCache {

    private record Entry(long size, long modified, ResponseBody.Bytes body) {
    }

    private final long capacity;
    /** Access-ordered: iteration starts at the least recently used entry. Guarded by {@code this}. */
    private final LinkedHashMap<Path, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    /** Compressed bytes held; guarded by {@code this}. */
    private long held;

    /** @param capacity most compressed bytes to hold; 0 keeps nothing, so every response compresses anew */
    CompressionCache(long capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("Negative capacity " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * The file's gzip form, from memory while the file is unchanged.
     *
     * @param file a regular file's real path
     * @param size its size when it was resolved
     * @param modified its modification time then, in nanoseconds
     * @return the compressed bytes, or {@code null} if the file cannot be read or no longer has that size
     */
    ResponseBody.Bytes gzip(Path file, long size, long modified) {
        synchronized (this) {
            Entry entry = entries.get(file);
            if (entry != null && entry.size == size && entry.modified == modified) {
                return entry.body;
            }
        }
        byte[] compressed = compress(file, size);
        if (compressed == null) {
            return null;
        }
        ResponseBody.Bytes body = ResponseBody.Bytes.of(compressed);
        store(file, new Entry(size, modified, body));
        return body;
    }

    /** Compressed bytes held now. */
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

    /** Reads exactly {@code size} bytes and gzips them; null if the file changed size or cannot be read. */
    private static byte[] compress(Path file, long size) {
        if (size > Integer.MAX_VALUE - 64) {
            return null;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (channel.size() != size) {
                // Replaced since it was resolved: compressing the new bytes under the old size and time would cache a lie.
                return null;
            }
            ByteBuffer content = ByteBuffer.allocate((int) size);
            while (content.hasRemaining() && channel.read(content) >= 0) {
                // read until full
            }
            if (content.hasRemaining()) {
                return null;
            }
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
