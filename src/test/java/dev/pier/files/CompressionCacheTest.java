package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http.ResponseBody;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressionCacheTest {

    @TempDir
    Path temp;

    @Test
    void whenFileIsGzippedThenTheBytesDecompressToItAndAreKept() throws IOException {
        Path file = write("app.js", "console.log('pier');\n".repeat(100));
        CompressionCache cache = new CompressionCache(1024 * 1024);

        ResponseBody.Bytes first = gzip(cache, file);
        ResponseBody.Bytes second = gzip(cache, file);

        assertThat(gunzip(first)).isEqualTo(Files.readString(file));
        assertThat(first.length()).isLessThan(Files.size(file));
        assertThat(second).isSameAs(first);
        assertThat(cache.count()).isEqualTo(1);
        assertThat(cache.held()).isEqualTo(first.length());
    }

    @Test
    void whenFileIsReplacedThenItIsCompressedAgainAndReplacesTheOldForm() throws IOException {
        Path file = write("app.js", "old ".repeat(500));
        CompressionCache cache = new CompressionCache(1024 * 1024);
        ResponseBody.Bytes old = gzip(cache, file);

        Files.writeString(file, "new content ".repeat(500));
        ResponseBody.Bytes fresh = gzip(cache, file);

        assertThat(fresh).isNotSameAs(old);
        assertThat(gunzip(fresh)).startsWith("new content");
        assertThat(cache.count()).isEqualTo(1);
        assertThat(cache.held()).isEqualTo(fresh.length());
    }

    @Test
    void whenSameSizeButNewTimeThenCompressedAgain() throws IOException {
        Path file = write("a.txt", "aaaa".repeat(300));
        CompressionCache cache = new CompressionCache(1024 * 1024);
        ResponseBody.Bytes old = gzip(cache, file);

        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));

        assertThat(gzip(cache, file)).isNotSameAs(old);
        assertThat(gzip(cache, file)).isSameAs(gzip(cache, file));
    }

    @Test
    void whenReplacedByAFileOfTheSameSizeSinceItWasResolvedThenNothingRatherThanItsGzipUnderTheOldVersion() throws IOException {
        Path file = write("a.txt", "aaaa".repeat(300));
        BasicFileAttributes resolved = Files.readAttributes(file, BasicFileAttributes.class);
        Files.writeString(file, "bbbb".repeat(300));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        CompressionCache cache = new CompressionCache(1024 * 1024);

        assertThat(cache.gzip(file, resolved.size(), resolved.lastModifiedTime().to(TimeUnit.NANOSECONDS))).isNull();
        assertThat(cache.count()).isZero();
    }

    @Test
    void whenCapacityIsPassedThenTheLeastRecentlyUsedGoFirst() throws IOException {
        Path a = write("a.txt", random(2000));
        Path b = write("b.txt", random(2000));
        Path c = write("c.txt", random(2000));
        long each = gzip(new CompressionCache(1 << 20), a).length();
        CompressionCache cache = new CompressionCache(each * 2 + each / 2);

        ResponseBody.Bytes keptA = gzip(cache, a);
        gzip(cache, b);
        gzip(cache, a);
        gzip(cache, c);

        assertThat(cache.count()).isEqualTo(2);
        assertThat(cache.held()).isLessThanOrEqualTo(each * 2 + each / 2);
        assertThat(gzip(cache, a)).as("recently used, kept").isSameAs(keptA);
    }

    @Test
    void whenEntryIsLargerThanTheCacheThenServedButNotKept() throws IOException {
        Path file = write("big.txt", random(5000));
        CompressionCache cache = new CompressionCache(100);

        assertThat(gunzip(gzip(cache, file))).isEqualTo(Files.readString(file));
        assertThat(cache.count()).isZero();
        assertThat(cache.held()).isZero();
    }

    @Test
    void whenFileChangedSizeOrVanishedSinceResolvedThenNull() throws IOException {
        Path file = write("a.txt", "abc".repeat(500));
        CompressionCache cache = new CompressionCache(1 << 20);

        assertThat(cache.gzip(file, 10, 1)).isNull();
        Files.delete(file);
        assertThat(cache.gzip(file, 1500, 1)).isNull();
        assertThat(cache.count()).isZero();
    }

    private static ResponseBody.Bytes gzip(CompressionCache cache, Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return cache.gzip(file, attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    }

    static String gunzip(ResponseBody.Bytes body) throws IOException {
        ByteBuffer content = body.content().duplicate();
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(temp.resolve(name), text);
    }

    private static String random(int length) {
        java.util.Random random = new java.util.Random(length);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }
}
