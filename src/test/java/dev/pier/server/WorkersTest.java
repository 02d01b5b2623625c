package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 1, unit = TimeUnit.MINUTES)
class WorkersTest {

    @Test
    void whenPlatformThreadsAreAllBusyAndTheQueueIsFullThenTheNextTaskIsRefusedAtOnce() throws Exception {
        ExecutorService workers = Workers.create("test-worker-", 1, 1, false);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        String[] name = new String[1];
        try {
            workers.execute(() -> {
                name[0] = Thread.currentThread().getName();
                started.countDown();
                await(release);
            });
            workers.execute(() -> { });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> workers.execute(() -> { }));
            assertThat(name[0]).isEqualTo("test-worker-1");
        } finally {
            release.countDown();
            workers.shutdownNow();
        }
    }

    @Test
    void whenVirtualThreadsAreAskedForBeforeJava21ThenPlatformThreadsServeInstead() throws Exception {
        assumeTrue(!Workers.virtualThreadsAvailable(), "this JVM has virtual threads");
        ExecutorService workers = Workers.create("fallback-", 1, 1, true);
        CountDownLatch ran = new CountDownLatch(1);
        String[] name = new String[1];
        try {
            workers.execute(() -> {
                name[0] = Thread.currentThread().getName();
                ran.countDown();
            });
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(name[0]).isEqualTo("fallback-1");
        } finally {
            workers.shutdownNow();
        }
    }

    /** The build targets Java 17, so this runs the probe in the newest JDK 21+ installed beside it. */
    @Test
    void whenAJava21JvmRunsWorkersOnVirtualThreadsThenEachTaskHasOneAndTheBoundHolds() throws Exception {
        Optional<Path> java = newerJava();
        assumeTrue(java.isPresent(), "no JDK 21 or later under /usr/lib/jvm");
        Process probe = new ProcessBuilder(java.get().toString(), "-cp", System.getProperty("java.class.path"), VirtualWorkersProbe.class.getName())
                .redirectErrorStream(true).start();
        assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(probe.exitValue()).as(output).isZero();
        assertThat(output).contains("running-at-once=true", "third=refused", "drained=true");
        assertThat(output).containsPattern("thread0=VirtualThread\\[#\\d+,probe-\\d+\\]").containsPattern("thread1=VirtualThread\\[#\\d+,probe-\\d+\\]");
    }

    private static Optional<Path> newerJava() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> installed = Files.list(jvms)) {
            return installed.filter(home -> Files.isExecutable(home.resolve("bin/java")) && feature(home) >= 21)
                    .max(Comparator.comparingInt(WorkersTest::feature))
                    .map(home -> home.resolve("bin/java"));
        }
    }

    /** The major version from the JDK's {@code release} file, 0 when it cannot say. */
    private static int feature(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(version.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
