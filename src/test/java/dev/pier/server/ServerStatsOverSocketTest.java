package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link HttpServer#stats()} counts what happened on the wire, each kind of event in its own counter. */
@Timeout(20)
class ServerStatsOverSocketTest {

    private static final Duration SHORT = Duration.ofMillis(300);
    private static final int LARGE = 16 * 1024 * 1024;

    @TempDir
    Path root;

    private RunningServer server;

    @BeforeEach
    void startServer() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.write(root.resolve("large.bin"), new byte[LARGE]);
        ServerSettings settings = ServerSettings.defaults(0).withTimeouts(new ServerSettings.Timeouts(SHORT, SHORT, SHORT, SHORT));
        server = RunningServer.start(settings, root);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void whenRequestsAreAnsweredThenConnectionsRequestsAndBytesAreCounted() throws IOException {
        try (RawClient client = server.connect()) {
            client.send(RawClient.get("/index.html")).read();
            client.send("GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").read();
            assertThat(client.isClosedByServer()).isTrue();
        }

        awaitNoConnection();
        ServerStats stats = server.stats();
        assertThat(stats.connectionsAccepted()).isEqualTo(1);
        assertThat(stats.connectionsClosed()).isEqualTo(1);
        assertThat(stats.requests()).isEqualTo(2);
        assertThat(stats.bytesWritten()).isGreaterThan(2L * "<h1>home</h1>".length());
        assertThat(stats.rejectedByStatus()).isEmpty();
        assertThat(stats.clientAborts()).isZero();
    }

    @Test
    void whenRequestsAreRefusedThenCountedByStatus() throws IOException {
        for (String request : new String[] {"BAD\r\n\r\n", "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/3.0\r\nHost: a\r\n\r\n"}) {
            try (RawClient client = server.connect()) {
                client.send(request).read();
            }
        }

        assertThat(server.stats().rejectedByStatus()).containsExactly(Map.entry(400, 2L), Map.entry(505, 1L));
        assertThat(server.stats().requests()).isZero();
    }

    @Test
    void whenClocksRunOutThenEachTimeoutIsCountedByKind() throws IOException {
        try (RawClient header = server.connect(); RawClient body = server.connect(); RawClient idle = server.connect()) {
            header.send("GET / HTTP/1.1\r\n");
            body.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab");
            idle.send(RawClient.get("/index.html")).read();

            assertThat(header.read().status()).isEqualTo(408);
            assertThat(body.read().status()).isEqualTo(408);
            assertThat(idle.isClosedByServer()).isTrue();
        }

        ServerStats stats = server.stats();
        assertThat(stats.timeouts(ServerStats.TimeoutKind.HEADER)).isEqualTo(1);
        assertThat(stats.timeouts(ServerStats.TimeoutKind.BODY)).isEqualTo(1);
        assertThat(stats.timeouts(ServerStats.TimeoutKind.KEEP_ALIVE)).isEqualTo(1);
        assertThat(stats.rejected(408)).isEqualTo(2);
    }

    @Test
    void whenClientStopsReadingThenSendTimeoutCounted() throws IOException {
        try (RawClient client = RawClient.connectWithReceiveBuffer(server.port(), 16 * 1024)) {
            client.send(RawClient.get("/large.bin")).readHead();

            await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().timeouts(ServerStats.TimeoutKind.SEND) == 1);
        }
        awaitNoConnection();
    }

    @Test
    void whenClientResetsMidResponseThenAbortCountedAndConnectionClosed() throws IOException {
        RawClient.resetAfterFirstBytes(server.port(), "/large.bin");

        awaitNoConnection();
        assertThat(server.stats().clientAborts()).isEqualTo(1);
        assertThat(server.stats().timeouts(ServerStats.TimeoutKind.SEND)).isZero();
    }

    @Test
    void whenClientLeavesInTheMiddleOfARequestThenAbortCounted() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("GET /index.html HTTP/1.1\r\nHo");
        }

        awaitNoConnection();
        assertThat(server.stats().clientAborts()).isEqualTo(1);
        assertThat(server.stats().requests()).isZero();
    }

    private void awaitNoConnection() {
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().activeConnections() == 0);
    }
}
