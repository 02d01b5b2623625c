package dev.pier.examples;

import dev.pier.handler.EventStream;
import dev.pier.handler.HttpExchange;
import dev.pier.handler.ServerSentEvent;
import dev.pier.handler.StreamingHandler;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * {@code GET /examples/clock}: server-sent events, one a second with the time and an increasing
 * id, resuming after the {@code Last-Event-ID} a reconnecting {@code EventSource} sends. It holds
 * no thread while it waits: one scheduler thread ticks every open stream.
 */
@Component
@Profile("examples")
@Order(0)
class ClockHandler implements StreamingHandler, AutoCloseable {

    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "examples-clock");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public boolean accepts(HttpRequest request) {
        return request.method() == HttpMethod.GET && request.path().equals("/examples/clock");
    }

    @Override
    public boolean isBlocking() {
        return false;
    }

    @Override
    public String uriTemplate(HttpRequest request, int status) {
        return "/examples/clock";
    }

    @Override
    public void handle(HttpExchange exchange) {
        EventStream events = EventStream.open(exchange);
        long[] id = {firstId(events.lastEventId())};
        ScheduledFuture<?> tick = ticks.scheduleAtFixedRate(() -> events.send(ServerSentEvent.data(Instant.now().toString())
                .withEvent("tick").withId(Long.toString(id[0]++))), 0, 1, TimeUnit.SECONDS);
        events.closed().thenRun(() -> tick.cancel(false));
    }

    private static long firstId(String lastEventId) {
        if (lastEventId == null) {
            return 1;
        }
        try {
            return Math.max(0, Long.parseLong(lastEventId.trim())) + 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    @Override
    public void close() {
        ticks.shutdownNow();
    }
}
