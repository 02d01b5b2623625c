package dev.pier.server;

import dev.pier.handler.AddressRange;
import dev.pier.http.ParserLimits;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import lombok.With;

/**
 * Everything the server needs to know, free of Spring so the server can be tested alone.
 *
 * @param address interface to bind, or {@code null} for all
 * @param port port to bind, 0 for an ephemeral one
 * @param backlog length of the accept queue
 * @param eventLoops number of event loop threads, each with its own selector
 * @param workerThreads size of the pool that runs blocking handlers
 * @param workerQueue requests that may wait for a worker before new ones get 503
 * @param limits what a request may contain
 * @param timeouts how long a client may take
 * @param connections how many connections, and requests on each, the server takes
 * @param serverName value of the {@code Server} header
 * @param management a second listener for handlers of {@link dev.pier.handler.Listener#MANAGEMENT},
 *     or {@code null} to serve them on the application's port
 * @param tls HTTPS on the application's port, or {@code null} for plain HTTP
 * @param virtualWorkers whether blocking handlers run each on a virtual thread (Java 21 and later), at most
 *     {@code workerThreads + workerQueue} at once, instead of on the pool
 * @param http2 HTTP/2 on the application's port, or {@code null} for HTTP/1.1 only
 */
@With
public record ServerSettings(InetAddress address, int port, int backlog, int eventLoops, int workerThreads, int workerQueue,
        ParserLimits limits, Timeouts timeouts, Connections connections, String serverName, Management management, Tls tls,
        boolean virtualWorkers, Http2 http2) {

    /** Plain HTTP: no {@link Tls}; platform worker threads; HTTP/2 with its defaults. */
    public ServerSettings(InetAddress address, int port, int backlog, int eventLoops, int workerThreads, int workerQueue,
            ParserLimits limits, Timeouts timeouts, Connections connections, String serverName, Management management) {
        this(address, port, backlog, eventLoops, workerThreads, workerQueue, limits, timeouts, connections, serverName, management, null, false,
                Http2.DEFAULTS);
    }

    /**
     * HTTP/2's settings: what Pier advertises, and the limits that keep a hostile peer from costing
     * more than a well-behaved one (RFC 9113 §10.5). The header list is bounded by
     * {@link ParserLimits#headerBytes()}, as an HTTP/1.1 head is.
     *
     * @param maxConcurrentStreams streams a client may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS); a reset
     *     stream keeps its slot until its handler has finished
     * @param initialWindowSize each stream's receive window (SETTINGS_INITIAL_WINDOW_SIZE): request body bytes a client
     *     may send ahead of its handler reading them, so the most Pier buffers per stream
     * @param maxFrameSize largest frame payload Pier accepts (SETTINGS_MAX_FRAME_SIZE)
     * @param headerTableSize HPACK dynamic table Pier keeps for a client's header blocks (SETTINGS_HEADER_TABLE_SIZE)
     * @param maxContinuationFrames CONTINUATION frames one header block may take; more closes the connection
     *     (ENHANCE_YOUR_CALM), the CVE-2024-27316 family
     * @param maxResets stream resets, sent by the client or by Pier for the client's errors, per {@code abuseWindow};
     *     more closes the connection (ENHANCE_YOUR_CALM): Rapid Reset (CVE-2023-44487) and MadeYouReset (CVE-2025-8671)
     * @param maxControlFrames frames that ask for no request's work (SETTINGS, PING, PRIORITY, empty DATA, unknown
     *     types) per {@code abuseWindow}; more closes the connection (ENHANCE_YOUR_CALM)
     * @param abuseWindow the period over which resets and control frames are counted
     */
    public record Http2(int maxConcurrentStreams, int initialWindowSize, int maxFrameSize, int headerTableSize, int maxContinuationFrames,
            int maxResets, int maxControlFrames, Duration abuseWindow) {

        public static final Http2 DEFAULTS = new Http2(128, 65_536, 16_384, 4096, 16, 200, 10_000, Duration.ofSeconds(30));

        public Http2 {
            if (maxConcurrentStreams < 1 || initialWindowSize < 1 || maxFrameSize < 16_384 || maxFrameSize > 16_777_215
                    || headerTableSize < 0 || maxContinuationFrames < 0 || maxResets < 1 || maxControlFrames < 1
                    || abuseWindow.isNegative() || abuseWindow.isZero()) {
                throw new IllegalArgumentException("Invalid HTTP/2 settings " + maxConcurrentStreams + "/" + initialWindowSize + "/" + maxFrameSize
                        + "/" + headerTableSize + "/" + maxContinuationFrames + "/" + maxResets + "/" + maxControlFrames + "/" + abuseWindow);
            }
        }
    }

    /**
     * @param address interface to bind, or {@code null} for all
     * @param port port to bind, 0 for an ephemeral one
     */
    public record Management(InetAddress address, int port) {
    }

    /**
     * HTTPS on the application's port. The management listener stays plain.
     *
     * @param context the certificate and TLS parameters, asked once per accepted connection: when
     *     the supplier's answer changes (a renewed certificate), new connections use the new one
     * @param strictTransportSecurity value of {@code Strict-Transport-Security} on every response
     *     sent over TLS, e.g. {@code max-age=31536000}, or {@code null} for none
     * @param httpRedirectPort a plain-HTTP port on the same address, served by the same event loops,
     *     whose every request is redirected (301) to HTTPS; 0 for an ephemeral one, -1 for none
     */
    public record Tls(Supplier<TlsContext> context, String strictTransportSecurity, int httpRedirectPort) {

        public Tls {
            Objects.requireNonNull(context, "context");
            if (strictTransportSecurity != null && strictTransportSecurity.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("Strict-Transport-Security must not contain control characters");
            }
            if (httpRedirectPort < -1 || httpRedirectPort > 65535) {
                throw new IllegalArgumentException("Invalid redirect port " + httpRedirectPort);
            }
        }

        /** One certificate for good, no HSTS, no redirect port. */
        public static Tls of(TlsContext context) {
            return new Tls(() -> context, null, -1);
        }
    }

    /**
     * @param header to receive a whole request head, from its first byte (then 408)
     * @param keepAlive an idle connection stays open between requests
     * @param body between two reads of a request body (then 408)
     * @param send between two writes that make progress, for a client that stops reading
     * @param response for a streaming handler that returned without answering to answer (then 503)
     */
    public record Timeouts(Duration header, Duration keepAlive, Duration body, Duration send, Duration response) {

        public static final Duration DEFAULT_RESPONSE = Duration.ofSeconds(30);

        public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(20), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60));

        /** With the default response timeout. */
        public Timeouts(Duration header, Duration keepAlive, Duration body, Duration send) {
            this(header, keepAlive, body, send, DEFAULT_RESPONSE);
        }
    }

    /**
     * Like nginx's {@code worker_connections}, {@code keepalive_requests} and {@code limit_conn}.
     *
     * @param max open connections per listener; at the limit the listener stops accepting until one
     *     closes, and newcomers wait in the kernel's accept queue
     * @param keepAliveRequests requests one connection may carry; the response to the last says
     *     {@code Connection: close}
     * @param perAddress open connections one TCP peer address may have on the application's port and
     *     the HTTP redirect port together, 0 for no cap; one more is closed as soon as it is accepted.
     *     The management port is not capped.
     * @param perAddressExempt peer addresses the per-address cap does not count
     */
    public record Connections(int max, int keepAliveRequests, int perAddress, List<AddressRange> perAddressExempt) {

        public static final Connections DEFAULTS = new Connections(10_000, 1000);

        public Connections {
            if (max < 1 || keepAliveRequests < 1 || perAddress < 0) {
                throw new IllegalArgumentException("Invalid connection limits " + max + "/" + keepAliveRequests + "/" + perAddress);
            }
            perAddressExempt = List.copyOf(perAddressExempt);
        }

        /** No cap per address. */
        public Connections(int max, int keepAliveRequests) {
            this(max, keepAliveRequests, 0, List.of());
        }
    }

    /** Settings for tests and embedding: all interfaces, the given port, defaults for the rest. */
    public static ServerSettings defaults(int port) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ServerSettings(null, port, 1024, cores, 16, 1024, ParserLimits.DEFAULTS, Timeouts.DEFAULTS, Connections.DEFAULTS, "Pier", null);
    }
}
