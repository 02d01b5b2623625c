package dev.pier.multipart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A part with a filename, as {@link FormCollector} keeps it: in memory up to its threshold, else in
 * a temporary file that the collector deletes when it closes. Use {@link Part#safeFilename()} to
 * show or store its name.
 */
public final class UploadedFile {

    private final Part part;
    private final long size;
    private final byte[] content;
    private final Path path;

    UploadedFile(Part part, long size, byte[] content, Path path) {
        this.part = part;
        this.size = size;
        this.content = content;
        this.path = path;
    }

    public Part part() {
        return part;
    }

    public String name() {
        return part.name();
    }

    /** Its content's length in bytes. */
    public long size() {
        return size;
    }

    /**
     * The temporary file that holds its content, or {@code null} when the content is in memory. The
     * collector deletes it on close: move or copy it before to keep it.
     */
    public Path path() {
        return path;
    }

    /** Its content from the first byte, a new stream each call. A spooled file's stream reads from disk, blocking. */
    public InputStream inputStream() throws IOException {
        return path == null ? new ByteArrayInputStream(content) : Files.newInputStream(path);
    }

    @Override
    public String toString() {
        return "UploadedFile[name=" + part.name() + ", filename=" + part.filename() + ", size=" + size + (path == null ? ", in memory]" : ", " + path + "]");
    }
}
