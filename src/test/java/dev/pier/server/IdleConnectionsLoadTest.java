package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten thousand idle keep-alive connections on loopback while an ordinary client is still served
 * promptly, and what they cost the server: heap and resident memory per thousand connections,
 * printed, not asserted tightly (they depend on the JVM and the collector). The connections are
 * held by another JVM ({@link IdleClients}), so this process counts only the server's side.
 *
 * <p>Tagged {@code load}. It takes a few seconds, so it runs in {@code ./mvnw verify}; run it alone
 * with {@code ./mvnw test -Dgroups=load}, leave it out with {@code -DexcludedGroups=load}, or try
 * another count with {@code -Dpier.load.connections=N}.
 */
@Tag("load")
@Timeout(60)
class IdleConnectionsLoadTest {

    private static final int IDLE = Integer.getInteger("pier.load.connections", 10_000);
    /** Descriptors the server's process needs besides one per connection: jars, selectors, pipes. */
    private static final int SPARE_DESCRIPTORS = 300;

    @TempDir
    Path root;

    @Test
    void whenTenThousandConnectionsIdleThenAnotherClientIsStillServedPromptly() throws Exception {
        long openFiles = openFilesLimit();
        assumeTrue(openFiles >= IDLE + SPARE_DESCRIPTORS, "ulimit -n is " + openFiles + "; holding " + IDLE
                + " connections needs at least " + (IDLE + SPARE_DESCRIPTORS) + " (raise it with ulimit -n, or set -Dpier.load.connections lower)");
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        ServerSettings settings = ServerSettings.defaults(0)
                .withTimeouts(new ServerSettings.Timeouts(Duration.ofSeconds(20), Duration.ofMinutes(5), Duration.ofSeconds(20), Duration.ofSeconds(20)))
                // Room for the idle ones and the ordinary client.
                .withConnections(new ServerSettings.Connections(IDLE + 100, 1000));
        try (RunningServer server = RunningServer.start(settings, root)) {
            Memory before = Memory.measure();
            long start = System.nanoTime();
            Process clients = startIdleClients(server.port());
            try {
                BufferedReader output = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.US_ASCII));
                assertThat(output.readLine()).isEqualTo("READY " + IDLE);
                await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().activeConnections() == IDLE);
                Duration opening = Duration.ofNanos(System.nanoTime() - start);

                long served = System.nanoTime();
                try (RawClient client = server.connect()) {
                    for (int i = 0; i < 10; i++) {
                        assertThat(client.send(RawClient.get("/index.html")).read().bodyText()).isEqualTo("<h1>home</h1>");
                    }
                }
                Duration tenRequests = Duration.ofNanos(System.nanoTime() - served);
                assertThat(tenRequests).isLessThan(Duration.ofSeconds(2));

                Memory after = Memory.measure();
                System.out.printf("%d idle connections opened in %d ms; 10 requests beside them took %d ms%n",
                        IDLE, opening.toMillis(), tenRequests.toMillis());
                System.out.printf("Per 1,000 idle connections: heap %+.1f MiB (%d -> %d MiB), RSS %+.1f MiB (%d -> %d MiB)%n",
                        (after.heapUsed - before.heapUsed) / 1048576.0 * 1000 / IDLE, before.heapUsed >> 20, after.heapUsed >> 20,
                        (after.rss - before.rss) / 1048576.0 * 1000 / IDLE, before.rss >> 20, after.rss >> 20);
            } finally {
                try (OutputStream stdin = clients.getOutputStream()) {
                    stdin.write('\n');
                } catch (IOException alreadyGone) {
                    // It exited on its own; destroyed below if not.
                }
                if (!clients.waitFor(10, TimeUnit.SECONDS)) {
                    clients.destroyForcibly();
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> server.stats().activeConnections() == 0);
        }
    }

    private static Process startIdleClients(int port) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classes = Path.of(IdleClients.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        return new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-cp", classes, IdleClients.class.getName(),
                Integer.toString(port), Integer.toString(IDLE), "/index.html")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static long openFilesLimit() throws IOException {
        Path limits = Path.of("/proc/self/limits");
        if (!Files.exists(limits)) {
            return Long.MAX_VALUE;
        }
        for (String line : Files.readAllLines(limits)) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return Long.MAX_VALUE;
    }

    /** Heap in use after a full collection, and the process's resident set from /proc. */
    private record Memory(long heapUsed, long rss) {

        static Memory measure() throws IOException {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            return new Memory(memory.getHeapMemoryUsage().getUsed(), residentBytes());
        }

        private static long residentBytes() throws IOException {
            Path status = Path.of("/proc/self/status");
            if (!Files.exists(status)) {
                return 0;
            }
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
            return 0;
        }
    }
}
