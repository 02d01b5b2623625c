package dev.pier.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Pier's own settings, under {@code pier.*}.
 *
 * @param documentRoot Folder whose files are served, relative to the working directory unless absolute
 * @param serveHiddenFiles Whether files and folders whose names start with a dot may be served
 * @param eventLoops Number of event loop threads; 0 means one per available processor
 * @param backlog Length of the listening socket's queue of connections not yet accepted
 * @param workerThreads Threads that run blocking request handlers
 * @param workerQueue Requests that may wait for a worker thread before new ones are answered with 503
 * @param limits Bounds on what one request may contain
 * @param timeouts How long a client may take at each step
 * @param shutdown How Pier leaves service
 */
@Validated
@ConfigurationProperties("pier")
public record PierProperties(
        @DefaultValue("site") @NotNull Path documentRoot,
        @DefaultValue("false") boolean serveHiddenFiles,
        @DefaultValue("0") @Min(0) @Max(1024) int eventLoops,
        @DefaultValue("1024") @Min(1) @Max(65535) int backlog,
        @DefaultValue("16") @Min(1) @Max(10000) int workerThreads,
        @DefaultValue("1000") @Min(1) int workerQueue,
        @DefaultValue @Valid Limits limits,
        @DefaultValue @Valid Timeouts timeouts,
        @DefaultValue @Valid ShutdownSettings shutdown) {

    /**
     * @param requestLine Longest request line accepted; longer gets 414
     * @param headerBytes Largest request head, request line included; larger gets 431
     * @param headers Most header fields in one request; more gets 431
     * @param body Largest request body; larger gets 413 before the body is read
     * @param connections Most connections open at once on each listener; at the limit new ones wait in the accept
     *     queue until one closes
     * @param keepAliveRequests Most requests one connection may carry; the response to the last says Connection: close
     */
    public record Limits(
            @DefaultValue("8KB") @NotNull DataSize requestLine,
            @DefaultValue("16KB") @NotNull DataSize headerBytes,
            @DefaultValue("100") @Min(1) @Max(10000) int headers,
            @DefaultValue("1MB") @NotNull DataSize body,
            @DefaultValue("10000") @Min(1) int connections,
            @DefaultValue("1000") @Min(1) int keepAliveRequests) {
    }

    /**
     * @param header Time to receive a whole request head, from its first byte; then 408
     * @param keepAlive How long an idle persistent connection stays open
     * @param body Longest pause between two reads of a request body; then 408
     * @param send Longest pause in writing a response to a client that stops reading; then the connection closes
     */
    public record Timeouts(
            @DefaultValue("20s") @NotNull Duration header,
            @DefaultValue("60s") @NotNull Duration keepAlive,
            @DefaultValue("60s") @NotNull Duration body,
            @DefaultValue("60s") @NotNull Duration send) {
    }

    /**
     * @param delay Pause between readiness turning REFUSING_TRAFFIC and the listener closing, during which Pier still
     *     serves, so load balancers stop sending traffic before the drain
     */
    public record ShutdownSettings(@DefaultValue("0s") @NotNull Duration delay) {
    }
}
