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
 * @param documentRoot folder whose files are served, relative to the working directory unless absolute
 * @param serveHiddenFiles whether files and folders whose names start with a dot may be served
 * @param eventLoops number of event loop threads; 0 means one per available processor
 * @param backlog length of the listening socket's queue of connections not yet accepted
 * @param workerThreads threads that run blocking request handlers
 * @param workerQueue requests that may wait for a worker thread before new ones are answered with 503
 * @param limits bounds on what one request may contain
 * @param timeouts how long a client may take at each step
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
        @DefaultValue @Valid Timeouts timeouts) {

    /**
     * @param requestLine longest request line accepted; longer gets 414
     * @param headerBytes largest request head, request line included; larger gets 431
     * @param headers most header fields in one request; more gets 431
     * @param body largest request body; larger gets 413 before the body is read
     */
    public record Limits(
            @DefaultValue("8KB") @NotNull DataSize requestLine,
            @DefaultValue("16KB") @NotNull DataSize headerBytes,
            @DefaultValue("100") @Min(1) @Max(10000) int headers,
            @DefaultValue("1MB") @NotNull DataSize body) {
    }

    /**
     * @param header time to receive a whole request head, from its first byte; then 408
     * @param keepAlive how long an idle persistent connection stays open
     * @param body longest pause between two reads of a request body; then 408
     * @param send longest pause in writing a response to a client that stops reading; then the connection closes
     */
    public record Timeouts(
            @DefaultValue("20s") @NotNull Duration header,
            @DefaultValue("60s") @NotNull Duration keepAlive,
            @DefaultValue("60s") @NotNull Duration body,
            @DefaultValue("60s") @NotNull Duration send) {
    }
}
