package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvedPathsTest {

    private static final long WINDOW = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    private Path root;

    private final AtomicLong clock = new AtomicLong(42);
    private ResolvedPaths paths;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(root.resolve("a.txt"), "first");
        paths = new ResolvedPaths(new DocRoot(root, false), 100, WINDOW, clock::get);
    }

    @Test
    void whenAskedAgainWithinTheWindowThenTheSameAnswerWithoutLookingAtTheDisk() throws IOException {
        Resolution first = paths.resolve("/a.txt");
        Files.delete(root.resolve("a.txt"));
        clock.addAndGet(WINDOW - 1);

        assertThat(paths.resolve("/a.txt")).isSameAs(first);
    }

    @Test
    void whenTheWindowHasPassedThenAChangeIsSeen() throws IOException {
        Resolution.Found first = (Resolution.Found) paths.resolve("/a.txt");
        Files.writeString(root.resolve("a.txt"), "second, longer");
        clock.addAndGet(WINDOW);

        Resolution.Found second = (Resolution.Found) paths.resolve("/a.txt");

        assertThat(second).isNotSameAs(first);
        assertThat(second.attributes().size()).isEqualTo("second, longer".length());
    }

    @Test
    void whenTheWindowHasPassedAndTheFileIsGoneThenNotFoundAndForgotten() throws IOException {
        paths.resolve("/a.txt");
        Files.delete(root.resolve("a.txt"));
        clock.addAndGet(WINDOW);

        assertThat(paths.resolve("/a.txt")).isInstanceOf(Resolution.NotFound.class);
        Files.writeString(root.resolve("a.txt"), "back");
        assertThat(paths.resolve("/a.txt")).isInstanceOf(Resolution.Found.class);
    }

    @Test
    void whenAPathWasMissingThenAFileCreatedSinceIsFoundAtOnce() throws IOException {
        assertThat(paths.resolve("/b.txt")).isInstanceOf(Resolution.NotFound.class);
        Files.writeString(root.resolve("b.txt"), "new");

        assertThat(paths.resolve("/b.txt")).isInstanceOf(Resolution.Found.class);
    }

    @Test
    void whenTheWindowIsZeroThenEveryRequestIsResolved() throws IOException {
        ResolvedPaths exact = new ResolvedPaths(new DocRoot(root, false), 100, 0, clock::get);
        exact.resolve("/a.txt");
        Files.delete(root.resolve("a.txt"));

        assertThat(exact.resolve("/a.txt")).isInstanceOf(Resolution.NotFound.class);
    }

    @Test
    void whenMorePathsThanTheBoundThenStillCorrect() throws IOException {
        ResolvedPaths small = new ResolvedPaths(new DocRoot(root, false), 2, WINDOW, clock::get);
        for (int i = 0; i < 5; i++) {
            Files.writeString(root.resolve("f" + i), "x".repeat(i));
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 5; i++) {
                assertThat(((Resolution.Found) small.resolve("/f" + i)).attributes().size()).isEqualTo(i);
            }
        }
    }
}
