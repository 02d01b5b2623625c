package dev.pier.server;

import dev.pier.http2.ErrorCode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Running totals of what the server has done since it was created, for tests, logs and a metrics
 * binder. Every count only grows, except {@link #activeConnections()}. Event loops and workers
 * add to them concurrently; {@link LongAdder}s keep that cheap, and a reader sees each number
 * on its own, not a consistent snapshot of all of them.
 */
public final class ServerStats {

    /** Which clock ran out. */
    public enum TimeoutKind {
        /** A request head was not received in time (408). */
        HEADER,
        /** A request body paused too long (408). */
        BODY,
        /** An idle persistent connection was closed. */
        KEEP_ALIVE,
        /** A client stopped reading its response; the connection was dropped. */
        SEND,
        /** A streaming handler did not answer in time (503). */
        RESPONSE
    }

    private final LongAdder accepted = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder inFlight = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder clientAborts = new LongAdder();
    private final LongAdder handlerFailures = new LongAdder();
    private final LongAdder unexpectedFailures = new LongAdder();
    private final LongAdder acceptFailures = new LongAdder();
    private final LongAdder connectionLimitPauses = new LongAdder();
    private final LongAdder refusedPerAddress = new LongAdder();
    /** The running server's count of addresses under the cap per address; {@code null} without a cap. */
    private volatile IntSupplier addressesCounted;
    private final Map<Integer, LongAdder> rejected = new ConcurrentHashMap<>();
    private final Map<TimeoutKind, LongAdder> timeouts = new EnumMap<>(TimeoutKind.class);
    private final LongAdder lagProbes = new LongAdder();
    private final LongAdder lagTotalNanos = new LongAdder();
    private final LongAdder http2Connections = new LongAdder();
    private final LongAdder http2Streams = new LongAdder();
    private final Map<ErrorCode, LongAdder> resetsSent = adders();
    private final Map<ErrorCode, LongAdder> resetsReceived = adders();
    private final Map<ErrorCode, LongAdder> goAwaysSent = adders();
    private final Map<ErrorCode, LongAdder> goAwaysReceived = adders();
    /** Each event loop's latest lag, by loop name; written once per probe by that loop. */
    private final Map<String, Long> latestLag = new ConcurrentHashMap<>();

    ServerStats() {
        for (TimeoutKind kind : TimeoutKind.values()) {
            timeouts.put(kind, new LongAdder());
        }
    }

    private static Map<ErrorCode, LongAdder> adders() {
        Map<ErrorCode, LongAdder> adders = new EnumMap<>(ErrorCode.class);
        for (ErrorCode code : ErrorCode.values()) {
            adders.put(code, new LongAdder());
        }
        return adders;
    }

    /** HTTP/2 connections open now. */
    public long http2Connections() {
        return http2Connections.sum();
    }

    /** HTTP/2 streams open now: requests in flight over HTTP/2. */
    public long http2Streams() {
        return http2Streams.sum();
    }

    /** RST_STREAM frames Pier sent with this error code. */
    public long http2ResetsSent(ErrorCode code) {
        return resetsSent.get(code).sum();
    }

    /** RST_STREAM frames clients sent with this error code. */
    public long http2ResetsReceived(ErrorCode code) {
        return resetsReceived.get(code).sum();
    }

    /** GOAWAY frames Pier sent with this error code. */
    public long http2GoAwaysSent(ErrorCode code) {
        return goAwaysSent.get(code).sum();
    }

    /** GOAWAY frames clients sent with this error code. */
    public long http2GoAwaysReceived(ErrorCode code) {
        return goAwaysReceived.get(code).sum();
    }

    void http2Opened() {
        http2Connections.increment();
    }

    void http2Closed() {
        http2Connections.decrement();
    }

    void http2StreamOpened() {
        http2Streams.increment();
    }

    void http2StreamClosed() {
        http2Streams.decrement();
    }

    void http2ResetSent(ErrorCode code) {
        resetsSent.get(code).increment();
    }

    void http2ResetReceived(ErrorCode code) {
        resetsReceived.get(code).increment();
    }

    void http2GoAwaySent(ErrorCode code) {
        goAwaysSent.get(code).increment();
    }

    void http2GoAwayReceived(ErrorCode code) {
        goAwaysReceived.get(code).increment();
    }

    /** Connections accepted on every listener. */
    public long connectionsAccepted() {
        return accepted.sum();
    }

    /** Connections closed, whoever closed them. */
    public long connectionsClosed() {
        return closed.sum();
    }

    /** Connections open now: accepted and not yet closed. */
    public long activeConnections() {
        return accepted.sum() - closed.sum();
    }

    /** Requests parsed whole (or, when answered before their body, whose head was) and handed to a handler. */
    public long requests() {
        return requests.sum();
    }

    /**
     * Requests taken and not yet ended: being handled, waiting for a worker, or having their response
     * written. A request ends when its response is written or its connection closes.
     */
    public long requestsInFlight() {
        return inFlight.sum();
    }

    /** Bytes written to clients: heads, bodies and interim responses. */
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    /** Requests the server refused before any handler saw them (malformed, too large, timed out, unmet expectation), by status. */
    public long rejected(int status) {
        LongAdder count = rejected.get(status);
        return count == null ? 0 : count.sum();
    }

    /** {@link #rejected(int)} for every status seen so far, in status order. */
    public Map<Integer, Long> rejectedByStatus() {
        Map<Integer, Long> byStatus = new TreeMap<>();
        rejected.forEach((status, count) -> byStatus.put(status, count.sum()));
        return Collections.unmodifiableMap(byStatus);
    }

    public long timeouts(TimeoutKind kind) {
        return timeouts.get(kind).sum();
    }

    /**
     * Connections the client ended early: reset, broken while being read or written, or closed
     * in the middle of a request.
     */
    public long clientAborts() {
        return clientAborts.sum();
    }

    /** Requests whose handler threw something other than an {@code HttpException}, or returned nothing: answered 500. */
    public long handlerFailures() {
        return handlerFailures.sum();
    }

    /** Failures an event loop caught outside any handler (a bug in the server): the connection was closed, the loop went on. */
    public long unexpectedFailures() {
        return unexpectedFailures.sum();
    }

    /** Failed {@code accept} calls, typically out of file descriptors; each pauses accepting for a moment. */
    public long acceptFailures() {
        return acceptFailures.sum();
    }

    /** Times a listener stopped accepting because it had {@code pier.limits.connections} open. */
    public long connectionLimitPauses() {
        return connectionLimitPauses.sum();
    }

    /**
     * Connections reset as soon as they were accepted because their client address already had
     * {@code pier.limits.connections-per-address} open. Not counted in {@link #connectionsAccepted()}.
     */
    public long connectionsRefusedPerAddress() {
        return refusedPerAddress.sum();
    }

    /**
     * Client addresses with a connection open, as the cap per address counts them (exempt ones are
     * not): the size of its table, which shrinks as they close; 0 without a cap.
     */
    public int addressesCounted() {
        IntSupplier counted = addressesCounted;
        return counted == null ? 0 : counted.getAsInt();
    }

    /**
     * How many times the event loops measured their lag: each loop does once every
     * {@link EventLoop#LAG_PROBE_INTERVAL}.
     */
    public long eventLoopLagProbes() {
        return lagProbes.sum();
    }

    /**
     * The lag of every probe added up: with {@link #eventLoopLagProbes()}, the mean lag over any
     * interval. A probe's lag is how late its loop came to a timer that was due, so how long any
     * connection's ready event or task would have waited on that loop then.
     */
    public long eventLoopLagTotalNanos() {
        return lagTotalNanos.sum();
    }

    /** The highest of each event loop's latest measured lag; 0 before the first probe. */
    public long eventLoopLagNanos() {
        long highest = 0;
        for (long lag : latestLag.values()) {
            highest = Math.max(highest, lag);
        }
        return highest;
    }

    void connectionAccepted() {
        accepted.increment();
    }

    void connectionClosed() {
        closed.increment();
    }

    void request() {
        requests.increment();
        inFlight.increment();
    }

    void requestEnded() {
        inFlight.decrement();
    }

    void eventLoopLag(String loop, long nanos) {
        lagProbes.increment();
        lagTotalNanos.add(nanos);
        latestLag.put(loop, nanos);
    }

    void written(long bytes) {
        bytesWritten.add(bytes);
    }

    void rejectedWith(int status) {
        rejected.computeIfAbsent(status, key -> new LongAdder()).increment();
    }

    void timedOut(TimeoutKind kind) {
        timeouts.get(kind).increment();
    }

    void clientAborted() {
        clientAborts.increment();
    }

    void handlerFailed() {
        handlerFailures.increment();
    }

    void unexpectedFailure() {
        unexpectedFailures.increment();
    }

    void acceptFailed() {
        acceptFailures.increment();
    }

    void pausedAtConnectionLimit() {
        connectionLimitPauses.increment();
    }

    void refusedPerAddress() {
        refusedPerAddress.increment();
    }

    /** Set as the server starts; {@code null} when it runs without a cap per address. */
    void countAddressesWith(IntSupplier counted) {
        addressesCounted = counted;
    }

    @Override
    public String toString() {
        return "ServerStats[accepted=" + connectionsAccepted() + ", active=" + activeConnections() + ", requests=" + requests() + ", inFlight=" + requestsInFlight()
                + ", bytesWritten=" + bytesWritten() + ", rejected=" + rejectedByStatus() + ", clientAborts=" + clientAborts()
                + ", handlerFailures=" + handlerFailures() + ", unexpectedFailures=" + unexpectedFailures() + "]";
    }
}
