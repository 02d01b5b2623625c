package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http.ResponseBody;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentCacheTest {

    @TempDir
    private Path root;

    private final ContentCache cache = new ContentCache(1024 * 1024, 32 * 1024);

    @Test
    void whenTheSameVersionIsAskedForTwiceThenReadOnceAndHeld() throws IOException {
        Path file = write("a.css", "body{}");
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);

        ResponseBody.Bytes first = cache.bytes(file, attributes.size(), nanos(attributes));
        ResponseBody.Bytes second = cache.bytes(file, attributes.size(), nanos(attributes));

        assertThat(second).isSameAs(first);
        assertThat(cache.stats(0, 0)).isEqualTo(new FileCacheStats(1, 1, 6, 1, 0, 0));
    }

    @Test
    void whenReplacedByAFileOfTheSameSizeSinceItWasResolvedThenNothingRatherThanItsBytesUnderTheOldVersion() throws IOException {
        Path file = write("a.css", "body{}");
        BasicFileAttributes resolved = Files.readAttributes(file, BasicFileAttributes.class);
        write("a.css", "p{a:0}");
        Files.setLastModifiedTime(file, FileTime.from(resolved.lastModifiedTime().toInstant().plusSeconds(5)));

        assertThat(cache.bytes(file, resolved.size(), nanos(resolved))).isNull();
        assertThat(cache.stats(0, 0).files()).isZero();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(root.resolve(name), text);
    }

    private static long nanos(BasicFileAttributes attributes) {
        return attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }
}
