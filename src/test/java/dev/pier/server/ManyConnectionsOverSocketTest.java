package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Many clients at once, each keeping its connection for several requests. */
@Timeout(20)
class ManyConnectionsOverSocketTest {

    private static final int CONNECTIONS = 200;
    private static final int ROUNDS = 3;

    @TempDir
    Path root;

    private byte[] medium;
    private RunningServer server;

    @BeforeEach
    void startServer() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        medium = new byte[64 * 1024];
        new Random(3).nextBytes(medium);
        Files.write(root.resolve("medium.bin"), medium);
        server = RunningServer.start(root, new Whoami());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void whenManyClientsUseKeepAliveConcurrentlyThenEveryRequestSucceeds() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
        CountDownLatch allConnected = new CountDownLatch(CONNECTIONS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                int id = i;
                results.add(clients.submit(() -> {
                    try (RawClient client = server.connect()) {
                        // Every connection is open before any sends, so all are served at once.
                        allConnected.countDown();
                        if (!allConnected.await(10, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("Not every client connected");
                        }
                        int ok = 0;
                        for (int round = 0; round < ROUNDS; round++) {
                            RawResponse page = client.send(RawClient.get("/index.html")).read();
                            RawResponse whoami = client.send(RawClient.get("/whoami?id=" + id + "&round=" + round)).read();
                            RawResponse file = client.send(RawClient.get("/medium.bin")).read();
                            if (page.bodyText().equals("<h1>home</h1>")
                                    && whoami.bodyText().equals(id + "/" + round)
                                    && Arrays.equals(file.body(), medium)) {
                                ok++;
                            }
                        }
                        return ok;
                    }
                }));
            }

            for (Future<Integer> result : results) {
                assertThat(result.get(20, TimeUnit.SECONDS)).isEqualTo(ROUNDS);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void whenManyConnectionsPipelineFromOneThreadThenEachGetsItsOwnAnswers() throws IOException {
        List<RawClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                open.add(server.connect());
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                open.get(i).send(RawClient.get("/whoami?id=" + i + "&round=0") + RawClient.get("/index.html")
                        + RawClient.get("/whoami?id=" + i + "&round=1"));
            }

            for (int i = 0; i < CONNECTIONS; i++) {
                RawClient client = open.get(i);
                assertThat(client.read().bodyText()).isEqualTo(i + "/0");
                assertThat(client.read().bodyText()).isEqualTo("<h1>home</h1>");
                assertThat(client.read().bodyText()).isEqualTo(i + "/1");
            }
        } finally {
            for (RawClient client : open) {
                client.close();
            }
        }
    }

    /** A blocking handler that echoes the query's id and round, so answers cannot be mixed up unseen. */
    private static final class Whoami implements HttpHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/whoami");
        }

        @Override
        public HttpResponse handle(HttpRequest request) {
            var query = request.queryParameters();
            return HttpResponse.status(200).body(query.get("id").get(0) + "/" + query.get("round").get(0)).build();
        }
    }
}
