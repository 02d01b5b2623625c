package dev.pier.server;

import dev.pier.http.ParserLimits;
import java.net.InetAddress;
import java.time.Duration;
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
 */
@With
public record ServerSettings(InetAddress address, int port, int backlog, int eventLoops, int workerThreads, int workerQueue,
        ParserLimits limits, Timeouts timeouts, Connections connections, String serverName, Management management) {

    /**
     * @param address interface to bind, or {@code null} for all
     * @param port port to bind, 0 for an ephemeral one
     */
    public record Management(InetAddress address, int port) {
    }

    /**
     * @param header to receive a whole request head, from its first byte (then 408)
     * @param keepAlive an idle connection stays open between requests
     * @param body between two reads of a request body (then 408)
     * @param send between two writes that make progress, for a client that stops reading
     */
    public record Timeouts(Duration header, Duration keepAlive, Duration body, Duration send) {

        public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(20), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60));
    }

    /**
     * Like nginx's {@code worker_connections} and {@code keepalive_requests}.
     *
     * @param max open connections per listener; at the limit the listener stops accepting until one
     *     closes, and newcomers wait in the kernel's accept queue
     * @param keepAliveRequests requests one connection may carry; the response to the last says
     *     {@code Connection: close}
     */
    public record Connections(int max, int keepAliveRequests) {

        public static final Connections DEFAULTS = new Connections(10_000, 1000);

        public Connections {
            if (max < 1 || keepAliveRequests < 1) {
                throw new IllegalArgumentException("Invalid connection limits " + max + "/" + keepAliveRequests);
            }
        }
    }

    /** Settings for tests and embedding: all interfaces, the given port, defaults for the rest. */
    public static ServerSettings defaults(int port) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ServerSettings(null, port, 1024, cores, 16, 1024, ParserLimits.DEFAULTS, Timeouts.DEFAULTS, Connections.DEFAULTS, "Pier", null);
    }
}
