package dev.pier.multipart;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Collects a whole form from a {@link MultipartParser}: fields as text, files in memory up to a
 * threshold and spooled past it to a temporary file ({@code pier-upload-*.part}, readable by its
 * owner only) in a folder of the application's choice. The parser's {@link MultipartLimits} bound
 * what it holds: fields by {@code field} and {@code fields}, files in memory by {@code parts} times
 * the threshold.
 *
 * <p>It owns every temporary file from the moment it creates one, the part being written included,
 * so one try-with-resources around the parse deletes them all, after a failure too:
 * <pre>{@code
 * try (FormCollector form = new FormCollector(uploads, 16 * 1024)) {
 *     MultipartParser parser = new MultipartParser(MultipartParser.boundary(contentType), limits, form);
 *     ... parser.feed(buffer) for each buffer, then parser.end() ...
 *     form.field("name"); form.file("file").inputStream();
 * }
 * }</pre>
 *
 * <p>Writing a spooled file blocks on disk, through a {@link FileChannel}: feed the parser on a worker
 * thread, never on an event loop. Not thread-safe.
 */
public final class FormCollector implements MultipartParser.Listener, AutoCloseable {

    /** The largest array a JVM reliably allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Path folder;
    private final int memoryThreshold;
    private final List<FormField> fields = new ArrayList<>();
    private final List<UploadedFile> files = new ArrayList<>();
    /** Every temporary file created and not yet deleted. */
    private final List<Path> temporaryFiles = new ArrayList<>();

    // The part being read: its bytes in memory, or the channel of its temporary file.
    private Part part;
    private byte[] memory;
    private int memoryLength;
    private long size;
    private Path spooled;
    private FileChannel channel;

    private boolean complete;
    private boolean closed;

    /**
     * @param folder where file parts past the threshold are written; it must exist
     * @param memoryThreshold the largest file part kept in memory, in bytes
     */
    public FormCollector(Path folder, int memoryThreshold) {
        if (memoryThreshold < 0) {
            throw new IllegalArgumentException("Negative memory threshold " + memoryThreshold);
        }
        this.folder = folder;
        this.memoryThreshold = memoryThreshold;
    }

    @Override
    public void partStarted(Part started) {
        requireOpen();
        part = started;
        memory = new byte[256];
        memoryLength = 0;
        size = 0;
        spooled = null;
    }

    @Override
    public void partData(ByteBuffer data) throws IOException {
        requireOpen();
        int length = data.remaining();
        size += length;
        if (channel == null && (!part.isFile() || length <= memoryThreshold - memoryLength)) {
            ensureCapacity(memoryLength + (long) length);
            data.get(memory, memoryLength, length);
            memoryLength += length;
            return;
        }
        if (channel == null) {
            spool();
        }
        write(data);
    }

    /** Moves the part's bytes so far from memory to a new temporary file, which takes the rest. */
    private void spool() throws IOException {
        spooled = Files.createTempFile(folder, "pier-upload-", ".part");
        temporaryFiles.add(spooled);
        channel = FileChannel.open(spooled, StandardOpenOption.WRITE);
        write(ByteBuffer.wrap(memory, 0, memoryLength));
        memory = null;
        memoryLength = 0;
    }

    private void write(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            channel.write(data);
        }
    }

    private void ensureCapacity(long needed) {
        if (needed > memory.length) {
            if (needed > MAX_ARRAY) {
                throw MultipartException.tooLarge("Field too large");
            }
            memory = Arrays.copyOf(memory, (int) Math.min(MAX_ARRAY, Math.max(needed, memory.length * 2L)));
        }
    }

    @Override
    public void partEnded() throws IOException {
        requireOpen();
        if (!part.isFile()) {
            fields.add(new FormField(part, new String(memory, 0, memoryLength, StandardCharsets.UTF_8)));
        } else if (channel != null) {
            channel.close();
            channel = null;
            files.add(new UploadedFile(part, size, null, spooled));
        } else {
            files.add(new UploadedFile(part, size, Arrays.copyOf(memory, memoryLength), null));
        }
        part = null;
        memory = null;
    }

    @Override
    public void formEnded() {
        requireOpen();
        complete = true;
    }

    /** The fields in order, once the form has ended. */
    public List<FormField> fields() {
        requireComplete();
        return Collections.unmodifiableList(fields);
    }

    /** The files in order, once the form has ended. */
    public List<UploadedFile> files() {
        requireComplete();
        return Collections.unmodifiableList(files);
    }

    /** The value of the first field of that name, or {@code null}. */
    public String field(String name) {
        for (FormField field : fields()) {
            if (field.name().equals(name)) {
                return field.value();
            }
        }
        return null;
    }

    /** The first file of that name, or {@code null}. */
    public UploadedFile file(String name) {
        for (UploadedFile file : files()) {
            if (file.name().equals(name)) {
                return file;
            }
        }
        return null;
    }

    /**
     * Deletes every temporary file, the one of a part cut short included. Idempotent; a file that
     * could not be deleted is tried again at the next call.
     *
     * @throws IOException the first failure to close or delete, the others suppressed in it
     */
    @Override
    public void close() throws IOException {
        closed = true;
        memory = null;
        IOException failure = null;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                failure = e;
            }
            channel = null;
        }
        for (Iterator<Path> paths = temporaryFiles.iterator(); paths.hasNext(); ) {
            try {
                Files.deleteIfExists(paths.next());
                paths.remove();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("The form collector is closed");
        }
    }

    private void requireComplete() {
        requireOpen();
        if (!complete) {
            throw new IllegalStateException("The form has not ended");
        }
    }
}
