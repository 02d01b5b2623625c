package dev.pier.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request paths already resolved to files, so that a repeated request costs one {@code lstat}
 * instead of resolving every segment again ({@code realpath}, {@code stat}, {@code access}). The
 * check is exact, not time-based: the cached real path must still be the same file (device and
 * inode), with the same size and modification time, or the path is resolved afresh. A file
 * replaced, grown, touched or removed is seen at the next request, as without the cache.
 *
 * <p>Only files are kept, never misses, so a file created a moment ago is found at once. Bounded
 * by entries: past the bound the map starts over, which costs some resolving but no correctness.
 * Thread-safe.
 */
final class ResolvedPaths {

    private final DocRoot docRoot;
    private final int maxEntries;
    private final Map<String, Resolution.Found> found = new ConcurrentHashMap<>();

    /** @param maxEntries most paths remembered; 0 remembers none */
    ResolvedPaths(DocRoot docRoot, int maxEntries) {
        this.docRoot = docRoot;
        this.maxEntries = maxEntries;
    }

    /** As {@link DocRoot#resolve}, answered from memory while the file found before is unchanged. */
    Resolution resolve(String path) {
        Resolution.Found known = found.get(path);
        if (known != null && unchanged(known)) {
            return known;
        }
        Resolution resolution = docRoot.resolve(path);
        if (resolution instanceof Resolution.Found file && maxEntries > 0) {
            if (found.size() >= maxEntries) {
                found.clear();
            }
            found.put(path, file);
        } else if (known != null) {
            found.remove(path);
        }
        return resolution;
    }

    private static boolean unchanged(Resolution.Found known) {
        BasicFileAttributes before = known.attributes();
        try {
            BasicFileAttributes now = Files.readAttributes(known.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return now.isRegularFile() && Objects.equals(now.fileKey(), before.fileKey()) && now.size() == before.size()
                    && now.lastModifiedTime().equals(before.lastModifiedTime());
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
