package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pier.limits.keep-alive-requests} (nginx's {@code keepalive_requests}) and
 * {@code pier.limits.connections} (its {@code worker_connections}), with small values.
 */
@Timeout(20)
class LimitsOverSocketTest {

    private static final int MAX_CONNECTIONS = 2;
    private static final int KEEP_ALIVE_REQUESTS = 3;

    @TempDir
    Path root;

    private RunningServer server;

    @BeforeEach
    void startServer() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        ServerSettings settings = RunningServer.settings()
                .withConnections(new ServerSettings.Connections(MAX_CONNECTIONS, KEEP_ALIVE_REQUESTS));
        server = RunningServer.start(settings, root);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void whenKeepAliveRequestsReachedThenLastResponseSaysCloseAndConnectionCloses() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse first = client.send(RawClient.get("/index.html")).read();
            RawResponse second = client.send(RawClient.get("/index.html")).read();
            RawResponse third = client.send(RawClient.get("/index.html")).read();

            assertThat(first.header("Connection")).isNull();
            assertThat(second.header("Connection")).isNull();
            assertThat(third.status()).isEqualTo(200);
            assertThat(third.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenMoreRequestsPipelinedThanAllowedThenOnlyAllowedOnesAnsweredAndStreamEndsCleanly() throws IOException {
        try (RawClient client = server.connect()) {
            client.send(RawClient.get("/index.html").repeat(KEEP_ALIVE_REQUESTS + 2));

            for (int i = 1; i <= KEEP_ALIVE_REQUESTS; i++) {
                RawResponse response = client.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("Connection")).isEqualTo(i == KEEP_ALIVE_REQUESTS ? "close" : null);
            }
            // End of stream, not a reset, though two requests were left unread.
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenHttp10KeepAliveReachesTheLimitThenLastResponseSaysClose() throws IOException {
        try (RawClient client = server.connect()) {
            String request = "GET /index.html HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
            assertThat(client.send(request).read().header("Connection")).isEqualTo("keep-alive");
            assertThat(client.send(request).read().header("Connection")).isEqualTo("keep-alive");
            assertThat(client.send(request).read().header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenConnectionLimitReachedThenNewcomerWaitsInTheBacklogUntilASlotFrees() throws IOException {
        try (RawClient first = server.connect(); RawClient second = server.connect()) {
            assertThat(first.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
            assertThat(second.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);

            // The kernel completes the handshake; the server does not accept it yet.
            try (RawClient waiting = server.connect()) {
                waiting.send(RawClient.get("/index.html"));
                assertThat(waiting.staysOpenFor(300)).isTrue();
                assertThat(server.stats().activeConnections()).isEqualTo(MAX_CONNECTIONS);
                assertThat(server.stats().connectionLimitPauses()).isPositive();

                first.close();

                RawResponse response = waiting.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo("<h1>home</h1>");
                assertThat(second.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().activeConnections() == 0);
        assertThat(server.stats().connectionsAccepted()).isEqualTo(3);
    }

    @Test
    void whenManyConnectAtOnceThenAllAreServedThroughTheSlotsInTurn() throws IOException {
        List<RawClient> clients = new ArrayList<>();
        try {
            // All connected and sent before any answer is read: four times more than the slots. The connections persist,
            // so each holds its slot until the test closes it: the listener must stop at the limit (with Connection: close
            // the server closed each at once, and a fast enough loop freed slots before the acceptor ever met the limit).
            for (int i = 0; i < 4 * MAX_CONNECTIONS; i++) {
                clients.add(server.connect().send("GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n"));
            }

            for (RawClient client : clients) {
                assertThat(client.read().status()).isEqualTo(200);
                client.close();
            }
            assertThat(server.stats().connectionLimitPauses()).isPositive();
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }
}
