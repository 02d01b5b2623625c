package dev.pier.observe;

import dev.pier.server.ServerStats;
import dev.pier.http2.ErrorCode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongBiFunction;

/**
 * Pier's server counters as meters, read from {@link ServerStats} when the registry is scraped:
 * nothing is added to the request path. Names start with {@code pier.}; Prometheus shows them as
 * {@code pier_connections_active}, {@code pier_requests_rejected_total{status="400"}} and so on.
 * Counts carry no base unit, which Prometheus would append to their names; bytes and seconds do.
 */
public final class ServerMetrics implements MeterBinder {

    /** Every status the server answers by itself before a handler sees the request. */
    static final int[] REJECTION_STATUSES = {400, 408, 413, 414, 417, 431, 501, 505};

    private final ServerStats stats;

    public ServerMetrics(ServerStats stats) {
        this.stats = stats;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("pier.connections.active", stats, ServerStats::activeConnections)
                .description("Connections open now, on every listener").register(registry);
        counter(registry, "pier.connections.accepted", "Connections accepted", ServerStats::connectionsAccepted, null);
        counter(registry, "pier.connections.closed", "Connections closed, whoever closed them", ServerStats::connectionsClosed, null);
        counter(registry, "pier.connections.limit.pauses", "Times a listener stopped accepting at pier.limits.connections",
                ServerStats::connectionLimitPauses, null);
        counter(registry, "pier.connections.refused", "Connections reset as soon as accepted: their address had pier.limits.connections-per-address open",
                ServerStats::connectionsRefusedPerAddress, null);
        Gauge.builder("pier.connections.addresses", stats, ServerStats::addressesCounted)
                .description("Client addresses with a connection open, as pier.limits.connections-per-address counts them; 0 when off")
                .register(registry);
        Gauge.builder("pier.requests.active", stats, ServerStats::requestsInFlight)
                .description("Requests in flight: taken and not yet answered in full").register(registry);
        counter(registry, "pier.requests", "Requests taken and handed to a handler", ServerStats::requests, null);
        counter(registry, "pier.sent", "Bytes written to clients: heads, bodies and interim responses", ServerStats::bytesWritten, BaseUnits.BYTES);
        for (int status : REJECTION_STATUSES) {
            FunctionCounter.builder("pier.requests.rejected", stats, s -> s.rejected(status))
                    .description("Requests refused before any handler saw them (malformed, too large, timed out), by status")
                    .tag("status", String.valueOf(status)).register(registry);
        }
        for (ServerStats.TimeoutKind kind : ServerStats.TimeoutKind.values()) {
            FunctionCounter.builder("pier.timeouts", stats, s -> s.timeouts(kind))
                    .description("Timeouts by kind: header and body answer 408, keep-alive and send close the connection")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT).replace('_', '-')).register(registry);
        }
        counter(registry, "pier.client.aborts", "Connections the client reset or closed in the middle of an exchange", ServerStats::clientAborts, null);
        counter(registry, "pier.handler.failures", "Requests whose handler failed: answered 500", ServerStats::handlerFailures, null);
        counter(registry, "pier.loop.failures", "Unexpected failures an event loop caught outside any handler (a bug in Pier)",
                ServerStats::unexpectedFailures, null);
        counter(registry, "pier.accept.failures", "Failed accepts (out of file descriptors); each pauses accepting for 100 ms",
                ServerStats::acceptFailures, null);
        FunctionTimer.builder("pier.eventloop.lag", stats, ServerStats::eventLoopLagProbes, ServerStats::eventLoopLagTotalNanos, TimeUnit.NANOSECONDS)
                .description("Event-loop lag probes: each loop times once a second how late it runs a timer that is due;"
                        + " sum over count is the mean lag")
                .register(registry);
        Gauge.builder("pier.eventloop.lag.latest", stats, s -> s.eventLoopLagNanos() / 1e9)
                .description("The highest of each event loop's latest lag").baseUnit("seconds").register(registry);
        bindHttp2(registry);
    }

    private void bindHttp2(MeterRegistry registry) {
        Gauge.builder("pier.http2.connections", stats, ServerStats::http2Connections)
                .description("HTTP/2 connections open now").register(registry);
        Gauge.builder("pier.http2.streams", stats, ServerStats::http2Streams)
                .description("HTTP/2 streams open now").register(registry);
        String resets = "HTTP/2 streams reset (RST_STREAM), by who reset them and the error code";
        String goAways = "HTTP/2 GOAWAY frames, by who sent them and the error code";
        byErrorCode(registry, "pier.http2.resets", resets, "sent", ServerStats::http2ResetsSent);
        byErrorCode(registry, "pier.http2.resets", resets, "received", ServerStats::http2ResetsReceived);
        byErrorCode(registry, "pier.http2.goaways", goAways, "sent", ServerStats::http2GoAwaysSent);
        byErrorCode(registry, "pier.http2.goaways", goAways, "received", ServerStats::http2GoAwaysReceived);
    }

    private void byErrorCode(MeterRegistry registry, String name, String description, String direction,
            ToLongBiFunction<ServerStats, ErrorCode> count) {
        for (ErrorCode code : ErrorCode.values()) {
            FunctionCounter.builder(name, stats, s -> count.applyAsLong(s, code)).description(description)
                    .tags("direction", direction, "error", code.name()).register(registry);
        }
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<ServerStats> count, String baseUnit) {
        FunctionCounter.builder(name, stats, count).description(description).baseUnit(baseUnit).register(registry);
    }
}
