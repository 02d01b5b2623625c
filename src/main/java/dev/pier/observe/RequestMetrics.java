package dev.pier.observe;

import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpVersion;
import dev.pier.server.Exchange;
import dev.pier.server.ExchangeObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every exchange as Spring MVC and WebFlux do, in the {@value #METRIC} timer with their tags:
 * {@code method}, {@code status}, {@code outcome}, {@code uri} (the handler's route template,
 * never the raw path) and {@code exception}; besides them {@code protocol} ({@code HTTP/1.1},
 * {@code HTTP/2.0}), as nginx logs it. Requests Pier refused before any handler saw them
 * (400, 408, 413…) are timed too, with method and uri {@code UNKNOWN}. A response cut short by the
 * client keeps its status and gets outcome {@code UNKNOWN}.
 *
 * <p>Runs on the event loop: a timer is looked up in a map of its own by a small key, so the
 * registry's tag sorting and meter lookup happen once per combination, not per request.
 */
public final class RequestMetrics implements ExchangeObserver {

    /** Spring's name, so dashboards made for Spring applications work unchanged. */
    public static final String METRIC = "http.server.requests";

    /** Beyond this many tag combinations new ones are not cached (the registry still bounds {@code uri}). */
    private static final int MAX_CACHED = 2048;

    private record Key(HttpMethod method, HttpVersion version, int status, String uri, Class<?> exception, boolean completed) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void exchangeEnded(Exchange exchange) {
        HttpRequest request = exchange.request();
        Key key = new Key(request == null ? null : request.method(), request == null ? null : request.version(), exchange.status(),
                exchange.uriTemplate(),
                exchange.failure() == null ? null : exchange.failure().getClass(), exchange.completed());
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = register(key);
            if (timers.size() < MAX_CACHED) {
                timers.put(key, timer);
            }
        }
        timer.record(Math.max(0, exchange.durationNanos()), TimeUnit.NANOSECONDS);
    }

    private Timer register(Key key) {
        return Timer.builder(METRIC)
                .description("Duration of HTTP server requests, from their first byte to the last byte of the response")
                .tags(Tags.of(
                        "method", key.method == null ? "UNKNOWN" : key.method.name(),
                        "status", String.valueOf(key.status),
                        "outcome", key.completed ? outcome(key.status) : "UNKNOWN",
                        "uri", key.uri,
                        "exception", exceptionName(key.exception),
                        "protocol", key.version == null ? "UNKNOWN" : key.version.text()))
                .register(registry);
    }

    /** Spring's {@code Outcome} of a status. */
    static String outcome(int status) {
        return switch (status / 100) {
            case 1 -> "INFORMATIONAL";
            case 2 -> "SUCCESS";
            case 3 -> "REDIRECTION";
            case 4 -> "CLIENT_ERROR";
            case 5 -> "SERVER_ERROR";
            default -> "UNKNOWN";
        };
    }

    private static String exceptionName(Class<?> exception) {
        if (exception == null) {
            return "none";
        }
        String simpleName = exception.getSimpleName();
        return simpleName.isEmpty() ? exception.getName() : simpleName;
    }
}
