package dev.pier.files;

import dev.pier.http.HttpDate;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The bytes chosen to answer a request for a file, and their validators: the file itself, a
 * precompressed sibling, or the file gzipped on the fly.
 *
 * @param file where the bytes come from: the file, or its {@code .br}/{@code .gz} sibling
 * @param coding their content coding
 * @param size the size of {@code file}; for on-the-fly gzip the uncompressed size
 * @param modifiedNanos the modification time of {@code file}, in nanoseconds, for the cache key
 * @param lastModified the same in whole seconds: the precision of {@code Last-Modified}
 * @param lastModifiedText the same as an HTTP-date, for the field
 * @param etag the strong tag of these bytes
 * @param onTheFly whether {@code file} is to be gzipped rather than sent as it is
 */
record Representation(Path file, ContentCoding coding, long size, long modifiedNanos, long lastModified, String lastModifiedText,
        String etag, boolean onTheFly) {

    static Representation of(Path file, BasicFileAttributes attributes, ContentCoding coding, boolean onTheFly) {
        long size = attributes.size();
        long nanos = attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        long seconds = attributes.lastModifiedTime().to(TimeUnit.SECONDS);
        return new Representation(file, coding, size, nanos, seconds, HttpDate.format(Instant.ofEpochSecond(seconds)),
                EntityTag.of(size, nanos, coding), onTheFly);
    }
}
