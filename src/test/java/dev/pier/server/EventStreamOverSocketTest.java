package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.handler.EventStream;
import dev.pier.handler.HttpExchange;
import dev.pier.handler.ServerSentEvent;
import dev.pier.handler.StreamingHandler;
import dev.pier.http.HttpRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EventStream} over a real socket: the events as the format lays them out, heartbeats on a
 * quiet stream, {@code Last-Event-ID}, the end when the client leaves, and a graceful shutdown that
 * ends open streams instead of waiting its whole timeout for them.
 */
@Timeout(30)
class EventStreamOverSocketTest {

    @TempDir
    Path root;

    private final AtomicReference<EventStream> opened = new AtomicReference<>();
    private RunningServer server;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        server = RunningServer.start(root, new Events());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void whenAnEventIsSentThenTheClientReadsItLaidOutAsTheFormatSays() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse head = client.send("GET /events HTTP/1.1\r\nHost: localhost\r\nLast-Event-ID: 41\r\n\r\n").readHead();

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Type")).isEqualTo("text/event-stream;charset=utf-8");
            assertThat(head.header("Cache-Control")).isEqualTo("no-cache");
            assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(text(client.readChunk())).isEqualTo("id: 42\nevent: greeting\ndata: line one\ndata: line two\n\n");
        }
    }

    @Test
    void whenTheStreamIsQuietThenHeartbeatCommentsKeepItAlive() throws IOException {
        try (RawClient client = server.connect()) {
            client.send(RawClient.get("/events")).readHead();
            client.readChunk();

            assertThat(text(client.readChunk())).isEqualTo(":heartbeat\n\n");
        }
    }

    @Test
    void whenTheClientLeavesThenTheStreamEndsAtItsNextWriteAndTheConnectionIsFreed() throws Exception {
        try (RawClient client = server.connect()) {
            client.send(RawClient.get("/events")).readHead();
            client.readChunk();
            client.socket().setSoLinger(true, 0);
        }
        opened.get().closed().get(10, TimeUnit.SECONDS);
        assertThat(opened.get().isOpen()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().activeConnections() == 0 && server.stats().requestsInFlight() == 0);
    }

    @Test
    void whenTheServerShutsDownGracefullyThenOpenStreamsEndAndTheDrainDoesNotWaitForThem() throws Exception {
        try (RawClient client = server.connect()) {
            client.send(RawClient.get("/events")).readHead();
            client.readChunk();

            assertThat(server.shutDownGracefully().get(5, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.IDLE);
            byte[] chunk;
            while ((chunk = client.readChunk()).length > 0) {
                assertThat(text(chunk)).isEqualTo(":heartbeat\n\n");
            }
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Opens a stream with a 300 ms heartbeat and sends one event, numbered after the client's last. */
    private final class Events implements StreamingHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/events");
        }

        @Override
        public boolean isBlocking() {
            return false;
        }

        @Override
        public void handle(HttpExchange exchange) {
            EventStream events = EventStream.open(exchange, Duration.ofMillis(300));
            opened.set(events);
            long last = events.lastEventId() == null ? 0 : Long.parseLong(events.lastEventId());
            events.send(ServerSentEvent.data("line one\nline two").withEvent("greeting").withId(Long.toString(last + 1)));
        }
    }
}
