package dev.pier.rules;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.ExchangeFilter;
import dev.pier.handler.HttpExchange;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.PathPattern;
import java.time.Duration;
import java.util.List;

/**
 * Maintenance mode: while {@link Maintenance} is on, every request answers {@code 503 Service
 * Unavailable} with {@code Retry-After} and {@code Cache-Control: no-store} (a cache must not keep
 * the outage), the site's own maintenance page as the body when it has one, Pier's 503 page
 * otherwise. Requests on the exempt paths go on: the probes ({@code /livez}, {@code /readyz}) so
 * that Kubernetes neither restarts nor unroutes a pod on purpose down, and Actuator, so that the
 * operation which turns maintenance off stays reachable. While off, the filter costs one volatile
 * read.
 *
 * <p>A path is exempt only if both its raw form (unreserved escapes decoded, dot segments removed,
 * {@link RequestPath}) and its decoded form (dot segments removed) match an exempt pattern, so
 * {@code /actuator/..%2Findex.html}, which the static files read as {@code /index.html}, is not.
 */
public final class MaintenanceFilter implements ExchangeFilter {

    /** The site's maintenance page for a request, or {@code null} to send Pier's own 503 page. */
    @FunctionalInterface
    public interface Page {

        HttpResponse respond(HttpRequest request);
    }

    static final String MESSAGE = "This site is down for maintenance. Please come back in a few minutes.";

    private final Maintenance maintenance;
    private final String retryAfter;
    private final List<PathPattern> exempt;
    private final Page page;

    /**
     * @param retryAfter sent as whole seconds, rounded up
     * @param exempt paths that go on during maintenance: probes and Actuator
     * @param page the site's page, whose status, {@code Cache-Control} and {@code Retry-After} are replaced
     */
    public MaintenanceFilter(Maintenance maintenance, Duration retryAfter, List<PathPattern> exempt, Page page) {
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("Retry-After must not be negative: " + retryAfter);
        }
        this.maintenance = maintenance;
        this.retryAfter = Long.toString(seconds(retryAfter));
        this.exempt = List.copyOf(exempt);
        this.page = page;
    }

    /** Whole seconds, rounded up: a client told to come back early would find the site still down. */
    static long seconds(Duration duration) {
        long seconds = duration.getSeconds();
        return duration.getNano() > 0 ? seconds + 1 : seconds;
    }

    @Override
    public void filter(HttpExchange exchange, Chain chain) throws Exception {
        if (!maintenance.isEnabled() || isExempt(exchange.request())) {
            chain.proceed(exchange);
            return;
        }
        exchange.respond(response(exchange.request()));
    }

    boolean isExempt(HttpRequest request) {
        String raw = RequestPath.normalize(request.rawPath());
        return raw != null && matchesAny(raw) && matchesAny(RequestPath.withoutDotSegments(request.path()));
    }

    private boolean matchesAny(String path) {
        for (PathPattern pattern : exempt) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    HttpResponse response(HttpRequest request) {
        HttpResponse answer = page == null ? null : page.respond(request);
        if (answer == null) {
            answer = ErrorResponses.of(503, MESSAGE, request);
        }
        return new HttpResponse(503, answer.headers().toBuilder().set("Retry-After", retryAfter).set("Cache-Control", "no-store").build(), answer.body());
    }

    @Override
    public String toString() {
        return "MaintenanceFilter[" + (maintenance.isEnabled() ? "on" : "off") + ", exempt " + exempt + "]";
    }
}
