package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.server.OpenDescriptors;
import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import dev.pier.server.ServerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large file replaced over and over (atomically, always the same size) while clients download
 * it and resume it with {@code If-Range}: every response must be one whole version under that
 * version's own {@code ETag}, whatever the kept channels and the revalidation window do, and no
 * descriptor may be left behind. Connections carry few requests each, so clients also reconnect
 * under the churn, as any client must once told {@code Connection: close}.
 */
@Timeout(60)
class FileReplacedUnderLoadOverSocketTest {

    private static final int SIZE = 96 * 1024;
    private static final int VERSIONS = 300;
    private static final int CLIENTS = 4;
    private static final ServerSettings.Connections FEW_REQUESTS_EACH = new ServerSettings.Connections(1000, 25);
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path root;

    @Test
    void whenTheFileIsReplacedWhileServedThenEachResponseIsOneVersionUnderItsOwnTag() throws Exception {
        Path file = root.resolve("big.bin");
        Map<String, Byte> versionByTag = new ConcurrentHashMap<>();
        publish(file, 0, versionByTag);
        StaticFileSettings settings = StaticFileSettings.DEFAULTS.withFileCache(
                StaticFileSettings.FileCache.DEFAULTS.withRevalidateAfter(Duration.ofMillis(20)));
        AtomicBoolean replacing = new AtomicBoolean(true);
        AtomicInteger checked = new AtomicInteger();
        AtomicInteger resumed = new AtomicInteger();
        AtomicInteger connections = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 1);
        try (FileServer server = FileServer.start(root, settings, FEW_REQUESTS_EACH)) {
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(threads.submit(() -> download(server, versionByTag, replacing, checked, resumed, connections)));
            }
            Future<?> writer = threads.submit(() -> {
                for (int version = 1; version <= VERSIONS; version++) {
                    publish(file, version, versionByTag);
                }
                return null;
            });
            try {
                writer.get(40, TimeUnit.SECONDS);
            } finally {
                replacing.set(false);
            }
            for (Future<?> client : clients) {
                client.get(20, TimeUnit.SECONDS);
            }
            System.out.printf("%d responses checked, %d of them resumed with If-Range, over %d versions and %d connections%n",
                    checked.get(), resumed.get(), VERSIONS, connections.get());
            assertThat(checked.get()).isGreaterThan(CLIENTS);
            assertThat(connections.get()).as("connections (some ended by the server's limit)").isGreaterThan(CLIENTS);
            // Channels of replaced versions close once their window has passed, at the next request.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                assertThat(server.get("/big.bin").status()).isEqualTo(200);
                assertThat(OpenDescriptors.servedBeyondCache(root, "big.bin")).isEmpty();
            });
        } finally {
            threads.shutdownNow();
        }
    }

    /** Until the writer is done, on connection after connection: GET the file, check it, then ask for its second half under its tag. */
    private static Void download(FileServer server, Map<String, Byte> versionByTag, AtomicBoolean replacing,
            AtomicInteger checked, AtomicInteger resumed, AtomicInteger connections) throws IOException {
        while (replacing.get()) {
            connections.incrementAndGet();
            try (RawClient client = server.connect()) {
                while (replacing.get() && resume(client, versionByTag, checked, resumed)) {
                    // the next pair on this connection
                }
            }
        }
        return null;
    }

    /** One GET and its resumption; false once the server said it closes the connection. */
    private static boolean resume(RawClient client, Map<String, Byte> versionByTag, AtomicInteger checked, AtomicInteger resumed) throws IOException {
        RawResponse whole = client.send(FileServer.request("GET", "/big.bin")).read();
        if (isBusy(whole)) {
            return !closes(whole);
        }
        assertWhole(whole, versionByTag);
        checked.incrementAndGet();
        if (closes(whole)) {
            return false;
        }
        String tag = whole.header("ETag");
        RawResponse half = client.send(FileServer.request("GET", "/big.bin", "Range: bytes=" + SIZE / 2 + "-", "If-Range: " + tag)).read();
        if (half.status() == 206) {
            assertOneVersion(half.body(), SIZE / 2, versionByTag.get(tag), tag);
            resumed.incrementAndGet();
            checked.incrementAndGet();
        } else if (!isBusy(half)) {
            assertWhole(half, versionByTag);
            checked.incrementAndGet();
        }
        return !closes(half);
    }

    private static void assertWhole(RawResponse response, Map<String, Byte> versionByTag) {
        assertThat(response.status()).isEqualTo(200);
        String tag = response.header("ETag");
        assertOneVersion(response.body(), SIZE, versionByTag.get(tag), tag);
    }

    private static boolean closes(RawResponse response) {
        return "close".equalsIgnoreCase(response.header("Connection"));
    }

    /** The answer when the file was replaced at every try: allowed under this churn, as long as it says when to retry. */
    private static boolean isBusy(RawResponse response) {
        if (response.status() != 503) {
            return false;
        }
        assertThat(response.header("Retry-After")).isEqualTo("1");
        return true;
    }

    private static void assertOneVersion(byte[] body, int length, Byte version, String tag) {
        assertThat(version).as("a tag some version had: %s", tag).isNotNull();
        byte[] expected = new byte[length];
        Arrays.fill(expected, version);
        assertThat(body).as("the bytes of version %d, under its tag %s", version, tag).isEqualTo(expected);
    }

    /** Version n: every byte n, modified n seconds after BASE, put in place by an atomic rename. */
    private static Void publish(Path file, int version, Map<String, Byte> versionByTag) throws IOException {
        byte[] content = new byte[SIZE];
        Arrays.fill(content, (byte) version);
        Instant modified = BASE.plusSeconds(version);
        versionByTag.put(EntityTag.of(SIZE, TimeUnit.SECONDS.toNanos(modified.getEpochSecond()), ContentCoding.IDENTITY), (byte) version);
        Path next = file.resolveSibling("next.tmp");
        Files.write(next, content);
        Files.setLastModifiedTime(next, FileTime.from(modified));
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return null;
    }
}
