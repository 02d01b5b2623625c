package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.ParserLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Blocking handlers share a bounded pool: when it and its queue are full, new requests get 503 at once. */
@Timeout(20)
class WorkerPoolOverSocketTest {

    @TempDir
    Path root;

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    /** One thread per pending read: the common pool may have fewer threads than the reads that block. */
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private RunningServer server;

    @BeforeEach
    void startServer() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        ServerSettings oneWorkerOneQueued = new ServerSettings(null, 0, 128, 1, 1, 1, ParserLimits.DEFAULTS, RunningServer.RELAXED, ServerSettings.Connections.DEFAULTS, "Pier", null);
        server = RunningServer.start(oneWorkerOneQueued, root, new Held());
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        readers.shutdownNow();
        server.close();
    }

    @Test
    void whenWorkersAndQueueFullThenServiceUnavailableWhileFilesStillServed() throws Exception {
        try (RawClient first = server.connect(); RawClient second = server.connect(); RawClient third = server.connect()) {
            CompletableFuture<RawResponse> running = readAside(first.send(RawClient.get("/held")));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            // One of these waits in the queue, the other finds no room; which is which is up to the loop.
            CompletableFuture<RawResponse> secondAnswer = readAside(second.send(RawClient.get("/held")));
            CompletableFuture<RawResponse> thirdAnswer = readAside(third.send(RawClient.get("/held")));

            RawResponse refused = (RawResponse) CompletableFuture.anyOf(secondAnswer, thirdAnswer).get(5, TimeUnit.SECONDS);
            assertThat(refused.statusLine()).isEqualTo("HTTP/1.1 503 Service Unavailable");
            try (RawClient other = server.connect()) {
                assertThat(other.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
            }
            release.countDown();

            assertThat(running.get(5, TimeUnit.SECONDS).bodyText()).isEqualTo("held");
            List<RawResponse> both = List.of(secondAnswer.get(5, TimeUnit.SECONDS), thirdAnswer.get(5, TimeUnit.SECONDS));
            assertThat(both).extracting(RawResponse::status).containsExactlyInAnyOrder(200, 503);
            // The refused connection is not lost: its next request is served.
            RawClient refusedClient = secondAnswer.get().status() == 503 ? second : third;
            assertThat(refusedClient.send(RawClient.get("/held")).read().bodyText()).isEqualTo("held");
        }
    }

    private CompletableFuture<RawResponse> readAside(RawClient client) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.read();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, readers);
    }

    /** Holds its worker until the test releases it. */
    private final class Held implements HttpHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/held");
        }

        @Override
        public HttpResponse handle(HttpRequest request) throws InterruptedException {
            entered.countDown();
            release.await(5, TimeUnit.SECONDS);
            return HttpResponse.status(200).body("held").build();
        }
    }
}
