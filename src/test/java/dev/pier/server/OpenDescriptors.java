package dev.pier.server;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** This process's open file descriptors, from Linux's {@code /proc/self/fd}, for leak tests. */
public final class OpenDescriptors {

    public static final Path FDS = Paths.get("/proc/self/fd");

    private OpenDescriptors() {
    }

    /** What each open descriptor points at: a file path, or something like {@code socket:[1234]}. */
    public static List<String> list() throws IOException {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> open = Files.list(FDS)) {
            for (Path fd : (Iterable<Path>) open::iterator) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException closedMeanwhile) {
                    // The listing's own descriptor, or one closed since: not open.
                }
            }
        }
        return targets;
    }

    /**
     * Descriptors of files under the served root other than the ones the open-file cache may keep
     * for the next request (at most one per file, for a short while): what would be a leak.
     */
    public static List<String> servedBeyondCache(Path root, String... cachedFiles) throws IOException {
        String served = root.toRealPath().toString();
        List<String> open = new ArrayList<>(list().stream().filter(target -> target.startsWith(served)).toList());
        for (String cached : cachedFiles) {
            open.remove(served + "/" + cached);
        }
        return open;
    }

    /** The count once the server's connections have closed and nothing changes for a moment. */
    public static long settledCount(ServerStats stats) {
        await().atMost(Duration.ofSeconds(20)).until(() -> stats.activeConnections() == 0);
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            long now = list().size();
            boolean steady = now == last[0];
            last[0] = now;
            return steady;
        });
        return last[0];
    }
}
