package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http.ResponseBody;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenFilesTest {

    private static final long WINDOW = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    private Path root;

    private final AtomicLong clock = new AtomicLong(7);
    private final OpenFiles files = new OpenFiles(10, WINDOW, clock::get);
    private Path file;

    @BeforeEach
    void setUp() throws IOException {
        file = root.resolve("big.bin");
        Files.write(file, new byte[100]);
    }

    @Test
    void whenTheSameVersionIsSentTwiceThenOneChannelServesBothAndStaysOpenAfterwards() throws IOException {
        ResponseBody.FileRegion first = whole(file);
        ResponseBody.FileRegion second = whole(file);

        assertThat(second.channel()).isSameAs(first.channel());
        assertThat(second.count()).isEqualTo(100);
        first.release();
        second.release();
        assertThat(first.channel().isOpen()).isTrue();
        assertThat(files.count()).isEqualTo(1);
    }

    @Test
    void whenTheFileChangedThenANewChannelAndTheOldOneClosesOnceItsLastResponseIsDone() throws IOException {
        ResponseBody.FileRegion before = whole(file);
        Files.write(file, new byte[200]);

        ResponseBody.FileRegion after = whole(file);

        assertThat(after.channel()).isNotSameAs(before.channel());
        assertThat(after.count()).isEqualTo(200);
        assertThat(before.channel().isOpen()).as("still being sent").isTrue();
        before.release();
        assertThat(before.channel().isOpen()).isFalse();
        after.release();
        assertThat(after.channel().isOpen()).isTrue();
    }

    @Test
    void whenTheWindowHasPassedThenReopenedAndStaleChannelsAreClosed() throws IOException {
        Path other = root.resolve("other.bin");
        Files.write(other, new byte[50]);
        ResponseBody.FileRegion old = whole(other);
        old.release();
        ResponseBody.FileRegion first = whole(file);
        first.release();
        clock.addAndGet(WINDOW);

        ResponseBody.FileRegion later = whole(file);

        assertThat(later.channel()).isNotSameAs(first.channel());
        assertThat(first.channel().isOpen()).isFalse();
        assertThat(old.channel().isOpen()).as("swept though not asked for again").isFalse();
        assertThat(files.count()).isEqualTo(1);
        later.release();
    }

    @Test
    void whenTheFileChangedSinceItWasResolvedThenNothingSoTheCallerResolvesAgain() throws IOException {
        BasicFileAttributes resolved = attributes(file);
        Files.write(file, new byte[300]);

        assertThat(files.whole(file, resolved.size(), modified(resolved))).isNull();
        assertThat(files.count()).isZero();
    }

    @Test
    void whenReplacedByAFileOfTheSameSizeSinceItWasResolvedThenNothingRatherThanItsBytesUnderTheOldVersion() throws IOException {
        BasicFileAttributes resolved = attributes(file);
        Files.write(file, new byte[100]);
        Files.setLastModifiedTime(file, FileTime.from(resolved.lastModifiedTime().toInstant().plusSeconds(5)));

        assertThat(files.whole(file, resolved.size(), modified(resolved))).isNull();
        assertThat(files.region(file, resolved.size(), modified(resolved), 10, 20)).isNull();
        assertThat(files.count()).isZero();
    }

    @Test
    void whenARegionIsAskedForThenItSharesTheChannelAndIsRefusedBeyondAShrunkFile() throws IOException {
        BasicFileAttributes attributes = attributes(file);
        ResponseBody.FileRegion region = files.region(file, 100, modified(attributes), 10, 20);
        assertThat(region.position()).isEqualTo(10);
        assertThat(region.count()).isEqualTo(20);
        assertThat(whole(file).channel()).isSameAs(region.channel());

        Files.write(file, new byte[5]);
        assertThat(files.region(file, 100, modified(attributes) + 1, 10, 20)).isNull();
    }

    @Test
    void whenNothingIsKeptThenEachResponseOwnsAndClosesItsChannel() throws IOException {
        OpenFiles none = new OpenFiles(0, WINDOW, clock::get);
        BasicFileAttributes attributes = attributes(file);

        ResponseBody.FileRegion body = none.whole(file, attributes.size(), modified(attributes));
        body.release();

        assertThat(body.channel().isOpen()).isFalse();
        assertThat(none.count()).isZero();
    }

    @Test
    void whenMoreFilesThanTheBoundThenTheCacheStartsOverAndClosesWhatItDropped() throws IOException {
        ResponseBody.FileRegion first = null;
        for (int i = 0; i < 11; i++) {
            Path each = root.resolve("f" + i);
            Files.write(each, new byte[i + 1]);
            ResponseBody.FileRegion body = whole(each);
            body.release();
            first = first == null ? body : first;
        }

        assertThat(files.count()).isEqualTo(1);
        assertThat(first.channel().isOpen()).isFalse();
    }

    @Test
    void whenTheKeptChannelWasClosedUnderItThenANewOneTakesItsPlace() throws IOException {
        ResponseBody.FileRegion first = whole(file);
        // What an interrupted transfer does to a channel, for every response sharing it.
        first.channel().close();

        ResponseBody.FileRegion second = whole(file);

        assertThat(second.channel()).isNotSameAs(first.channel());
        assertThat(second.channel().isOpen()).isTrue();
        first.release();
        second.release();
        assertThat(files.count()).isEqualTo(1);
    }

    @Test
    void whenTheFileIsGoneThenNull() throws IOException {
        BasicFileAttributes attributes = attributes(file);
        Files.delete(file);

        assertThat(files.whole(file, attributes.size(), modified(attributes))).isNull();
    }

    private ResponseBody.FileRegion whole(Path path) throws IOException {
        BasicFileAttributes attributes = attributes(path);
        return files.whole(path, attributes.size(), modified(attributes));
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class);
    }

    private static long modified(BasicFileAttributes attributes) {
        return attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }
}
