package dev.pier.files;

import dev.pier.http.ResponseBody;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import lombok.extern.slf4j.Slf4j;

/** Opens resolved files for zero-copy sending. */
@Slf4j
final class FileBodies {

    private FileBodies() {
    }

    /** The file's channel, or {@code null} if it vanished or became unreadable since it was resolved. */
    static FileChannel open(Path file) {
        try {
            // The resolved path holds no symlink; refusing one now defeats a swap since then.
            return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            log.debug("Could not open {} after resolving it", file, e);
            return null;
        }
    }

    /**
     * The file's channel if it is still the version resolved, or {@code null}: its bytes are then
     * not what the response's validators describe, and the caller resolves the path afresh.
     */
    static FileChannel openVersion(Path file, long size, long modifiedNanos) {
        FileChannel channel = open(file);
        if (channel == null) {
            return null;
        }
        try {
            if (channel.size() == size && isVersion(file, size, modifiedNanos)) {
                return channel;
            }
        } catch (IOException e) {
            log.debug("Could not read the size of {}", file, e);
        }
        close(channel);
        return null;
    }

    /** The whole file, or {@code null} if it cannot be opened or measured. */
    static ResponseBody.FileRegion whole(Path file) {
        FileChannel channel = open(file);
        if (channel == null) {
            return null;
        }
        try {
            // The opened file's own size: had it been replaced since the stat, the stated length still matches what is sent.
            return new ResponseBody.FileRegion(channel, 0, channel.size());
        } catch (IOException e) {
            close(channel);
            log.debug("Could not read the size of {}", file, e);
            return null;
        }
    }

    /**
     * Reads the version of a file that was resolved, whole, into a buffer with exactly its size
     * remaining, for the caches that hold files' bytes (as they are or compressed) under that
     * version.
     *
     * @return whether the buffer now holds that version: false if the file cannot be read, or is no
     *     longer the same size and modification time
     */
    static boolean readVersion(Path file, long size, long modifiedNanos, ByteBuffer into) {
        FileChannel channel = open(file);
        if (channel == null) {
            return false;
        }
        try (channel) {
            if (channel.size() != size) {
                return false;
            }
            while (into.hasRemaining() && channel.read(into) >= 0) {
                // read until full
            }
        } catch (IOException e) {
            log.debug("Could not read {}", file, e);
            return false;
        }
        return !into.hasRemaining() && isVersion(file, size, modifiedNanos);
    }

    /**
     * Whether the file at this path is still the version resolved: the same size and modification
     * time, which are what its {@code ETag} says. Checked after opening it (Java cannot ask an open
     * channel for its modification time): a file replaced in between would otherwise be sent, and
     * perhaps kept, under the old version's validators.
     */
    static boolean isVersion(Path file, long size, long modifiedNanos) {
        try {
            BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return now.size() == size && now.lastModifiedTime().to(TimeUnit.NANOSECONDS) == modifiedNanos;
        } catch (IOException e) {
            return false;
        }
    }

    static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a read-only file cannot lose data.
        }
    }
}
