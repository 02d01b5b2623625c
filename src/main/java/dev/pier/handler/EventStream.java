package dev.pier.handler;

import dev.pier.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@code text/event-stream} response on an exchange, for server-sent events: opened with 200
 * and the fields proxies need not to buffer it, it sends {@link ServerSentEvent}s from any thread,
 * a heartbeat comment whenever it was quiet for the interval (so proxies keep the connection and a
 * client that left is noticed at the next write), and ends when the client leaves, when the server
 * begins a graceful shutdown (browsers' {@code EventSource} then reconnects, to another instance,
 * sending {@link #lastEventId()}), or on {@link #close()}.
 */
public final class EventStream implements AutoCloseable {

    /**
     * One daemon thread times every stream's heartbeats; the writes themselves happen on the loops.
     * A cancelled heartbeat leaves its queue at once, not at its next time: it holds the stream.
     */
    private static final ScheduledThreadPoolExecutor HEARTBEATS = heartbeats();

    private final HttpExchange exchange;
    private final ResponseStream response;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean ending = new AtomicBoolean();
    private final ScheduledFuture<?> heartbeat;
    private volatile long lastWriteNanos = System.nanoTime();

    private EventStream(HttpExchange exchange, Duration heartbeatInterval) {
        this.exchange = exchange;
        this.response = exchange.stream(200, HttpHeaders.builder()
                .add("Content-Type", "text/event-stream;charset=utf-8")
                .add("Cache-Control", "no-cache")
                // nginx (and proxies that follow it) would otherwise buffer the stream.
                .add("X-Accel-Buffering", "no")
                .build());
        long interval = heartbeatInterval.toNanos();
        this.heartbeat = HEARTBEATS.scheduleWithFixedDelay(() -> {
            if (System.nanoTime() - lastWriteNanos >= interval) {
                write(response, ServerSentEvent.comment("heartbeat"));
            }
        }, interval, interval, TimeUnit.NANOSECONDS);
        exchange.onAbort(cause -> finish());
        exchange.onShutdown(this::close);
        // The head goes out now, so the client's EventSource opens before the first event.
        response.flush();
    }

    private static ScheduledThreadPoolExecutor heartbeats() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "pier-sse-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Opens the stream with a heartbeat every 15 seconds. */
    public static EventStream open(HttpExchange exchange) {
        return open(exchange, Duration.ofSeconds(15));
    }

    public static EventStream open(HttpExchange exchange, Duration heartbeatInterval) {
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("The heartbeat interval must be positive");
        }
        return new EventStream(exchange, heartbeatInterval);
    }

    /** The id of the last event the client saw, sent by a reconnecting {@code EventSource}; {@code null} on a first connection. */
    public String lastEventId() {
        return exchange.request().header("Last-Event-ID");
    }

    /** Sends an event; the future fails if the client has left. Any thread. */
    public CompletableFuture<Void> send(ServerSentEvent event) {
        return write(response, event.encode());
    }

    private CompletableFuture<Void> write(ResponseStream to, ByteBuffer bytes) {
        if (ending.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("The event stream has ended"));
        }
        lastWriteNanos = System.nanoTime();
        CompletableFuture<Void> written = to.write(bytes);
        written.whenComplete((ignored, failure) -> {
            if (failure != null) {
                finish();
            }
        });
        return written;
    }

    /** Completes when the stream has ended, whoever ended it. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    public boolean isOpen() {
        return !ending.get();
    }

    /** Ends the stream: the response's last chunk goes out. */
    @Override
    public void close() {
        if (ending.compareAndSet(false, true)) {
            heartbeat.cancel(false);
            response.end().whenComplete((ignored, failure) -> closed.complete(null));
        }
    }

    /** The client is gone: nothing more to write. */
    private void finish() {
        if (ending.compareAndSet(false, true)) {
            heartbeat.cancel(false);
        }
        closed.complete(null);
    }
}
