package dev.pier.config;

import dev.pier.files.TrailingSlash;
import dev.pier.http.ParserLimits;
import dev.pier.observe.AccessLogFormat;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Pier's own settings, under {@code pier.*}.
 *
 * @param documentRoot Folder whose files are served, relative to the working directory unless absolute
 * @param serveHiddenFiles Whether files and folders whose names start with a dot may be served
 * @param hiddenFiles Where names starting with a dot are served all the same while serve-hidden-files is false
 * @param eventLoops Number of event loop threads; 0 means one per available processor
 * @param backlog Length of the listening socket's queue of connections not yet accepted
 * @param workerThreads Threads that run blocking request handlers
 * @param workerQueue Requests that may wait for a worker thread before new ones are answered with 503
 * @param limits Bounds on what one request may contain
 * @param timeouts How long a client may take at each step
 * @param shutdown How Pier leaves service
 * @param directoryListing Whether a folder without index.html lists its files and folders, as HTML or, on request, JSON
 * @param fallback File of the document root served with 200 for GET and HEAD of missing paths whose last segment has no
 *     extension, as single-page apps need, e.g. /index.html; none when unset. Shorthand for try-files [$uri, $uri/,
 *     /index.html]; with try-files set, it must be unset or equal to try-files' last entry
 * @param tryFiles What a request path is looked up as, in order, as nginx's try_files: paths in the document root in
 *     which $uri stands for the request path ($uri, $uri.html, $uri/index.html), then a status (=404) or a fallback
 *     path (/index.html); [$uri, $uri.html, =404] gives clean URLs. When unset: [$uri, $uri/, =404], or the fallback
 *     last when that is set
 * @param trailingSlash Which of /docs and /docs/ is a static page's address: add (a folder without its slash gets 301
 *     to it), remove (any path with a trailing slash gets 301 without it; a folder's index is served without one) or
 *     leave (no redirect)
 * @param errorPages Pages of the document root served for error statuses, with that status, e.g. 404: /404.html
 * @param cacheControl Cache-Control value by Ant-style path pattern of the served file, e.g. "[/assets/**]": "public,
 *     max-age=31536000, immutable"; the most specific pattern wins, and HTML gets no-cache when none matches
 * @param securityHeaders Header fields added to every static file response; X-Content-Type-Options: nosniff unless set
 *     to an empty value
 * @param compression Content codings of static files: precompressed siblings and gzip on the fly
 * @param ranges Range requests for static files
 * @param cors Cross-origin access to static files; off unless allowed origins are set
 * @param fileCache What is remembered of files between requests, so repeated requests cost fewer system calls
 * @param accessLog One line per request, written through SLF4J to the logger pier.access
 * @param requestId An id for every request, taken from or put in X-Request-Id
 * @param http2 HTTP/2: h2 by ALPN on HTTPS, h2c by prior knowledge or Upgrade on plain HTTP, and its limits
 */
@Validated
@ConfigurationProperties("pier")
public record PierProperties(
        @DefaultValue("site") @NotNull Path documentRoot,
        @DefaultValue("false") boolean serveHiddenFiles,
        @DefaultValue @Valid HiddenFiles hiddenFiles,
        @DefaultValue("0") @Min(0) @Max(1024) int eventLoops,
        @DefaultValue("1024") @Min(1) @Max(65535) int backlog,
        @DefaultValue("16") @Min(1) @Max(10000) int workerThreads,
        @DefaultValue("1000") @Min(1) int workerQueue,
        @DefaultValue @Valid Limits limits,
        @DefaultValue @Valid Timeouts timeouts,
        @DefaultValue @Valid ShutdownSettings shutdown,
        @DefaultValue("false") boolean directoryListing,
        @Pattern(regexp = "/.*", message = "must be a path in the document root, starting with /") String fallback,
        List<String> tryFiles,
        @DefaultValue("add") TrailingSlash trailingSlash,
        Map<@Min(400) @Max(599) Integer, @NotBlank @Pattern(regexp = "/.*", message = "must be a path in the document root, starting with /") String> errorPages,
        Map<@AntPattern String, String> cacheControl,
        Map<String, String> securityHeaders,
        @DefaultValue @Valid Compression compression,
        @DefaultValue @Valid Ranges ranges,
        @DefaultValue @Valid Cors cors,
        @DefaultValue @Valid FileCache fileCache,
        @DefaultValue @Valid AccessLog accessLog,
        @DefaultValue @Valid RequestId requestId,
        @DefaultValue @Valid Http2 http2) {

    /** The largest byte array or buffer a JVM reliably allocates, as {@link ParserLimits#MAX_BODY}: a bound of {@link InRange}. */
    static final String LARGEST_ARRAY = ParserLimits.MAX_BODY + "B";

    /** The longest duration whose nanoseconds fit a long, as {@link Duration#toNanos()} needs: a bound of {@link InRange}. */
    static final String LONGEST_IN_NANOS = "106751d";

    /** The security header every response gets unless configured away. */
    static final Map<String, String> DEFAULT_SECURITY_HEADERS = Map.of("X-Content-Type-Options", "nosniff");

    public PierProperties {
        tryFiles = tryFiles == null || tryFiles.isEmpty() ? null : List.copyOf(tryFiles);
        errorPages = errorPages == null ? Map.of() : Collections.unmodifiableMap(errorPages);
        cacheControl = cacheControl == null ? Map.of() : Collections.unmodifiableMap(cacheControl);
        // Configured fields add to the default rather than replace it, so setting a CSP keeps nosniff;
        // names compare ignoring case, as environment variables bind them in lower case.
        Map<String, String> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        merged.putAll(DEFAULT_SECURITY_HEADERS);
        if (securityHeaders != null) {
            merged.putAll(securityHeaders);
        }
        securityHeaders = Collections.unmodifiableMap(merged);
    }

    /**
     * @param allow Path patterns under which names starting with a dot are served, each such name spelled out in the
     *     pattern (wildcards never match one): /.well-known/** serves /.well-known/acme-challenge/ (RFC 8615, as ACME's
     *     HTTP-01 challenge and security.txt need) but not /.well-known/.git; empty hides every such name
     */
    public record HiddenFiles(
            @DefaultValue("/.well-known/**") List<@AntPattern String> allow) {

        public HiddenFiles {
            allow = allow == null ? List.of() : List.copyOf(allow);
        }
    }

    /**
     * @param requestLine Longest request line accepted; longer gets 414; at least 16B
     * @param headerBytes Largest request head, request line included; larger gets 431; at least request-line
     * @param headers Most header fields in one request; more gets 431
     * @param body Largest request body; larger gets 413 before the body is read; 0 accepts no body, 2147483639B at most
     * @param connections Most connections open at once on each listener; at the limit new ones wait in the accept
     *     queue until one closes
     * @param keepAliveRequests Most requests one connection may carry; the response to the last says Connection: close
     * @param connectionsPerAddress Most connections open at once from one client address (the TCP peer: behind a proxy,
     *     the proxy) on server.port and the HTTP redirect port together, as nginx's limit_conn; one more is reset as
     *     soon as it is accepted, before any byte is read; the management port is not capped; 0 for no cap
     * @param connectionsPerAddressExempt Addresses or CIDR blocks (e.g. 127.0.0.1, 10.0.0.0/8, ::1) whose connections
     *     connections-per-address neither counts nor refuses: health checkers, a known proxy
     */
    public record Limits(
            @DefaultValue("8KB") @NotNull @InRange(min = "16B", max = LARGEST_ARRAY) DataSize requestLine,
            @DefaultValue("16KB") @NotNull @InRange(min = "16B", max = LARGEST_ARRAY) DataSize headerBytes,
            @DefaultValue("100") @Min(1) @Max(10000) int headers,
            @DefaultValue("1MB") @NotNull @InRange(min = "0B", max = LARGEST_ARRAY) DataSize body,
            @DefaultValue("10000") @Min(1) int connections,
            @DefaultValue("1000") @Min(1) int keepAliveRequests,
            @DefaultValue("0") @Min(0) int connectionsPerAddress,
            List<String> connectionsPerAddressExempt) {

        public Limits {
            connectionsPerAddressExempt = connectionsPerAddressExempt == null ? List.of() : List.copyOf(connectionsPerAddressExempt);
        }

        /** The head a parser reads includes its request line. */
        @AssertTrue(message = "pier.limits.header-bytes must be at least pier.limits.request-line, as the request head includes the request line")
        public boolean isHeaderBytesAtLeastRequestLine() {
            return requestLine == null || headerBytes == null || headerBytes.compareTo(requestLine) >= 0;
        }
    }

    /**
     * Each at least 1ms: none of them can be turned off.
     *
     * @param header Time to receive a whole request head, from its first byte; then 408
     * @param keepAlive How long an idle persistent connection stays open
     * @param body Longest pause between two reads of a request body; then 408
     * @param send Longest pause in writing a response to a client that stops reading; then the connection closes
     * @param response How long a streaming handler that returned without answering may take to answer; then 503
     */
    public record Timeouts(
            @DefaultValue("20s") @NotNull @InRange(min = "1ms", max = LONGEST_IN_NANOS) Duration header,
            @DefaultValue("60s") @NotNull @InRange(min = "1ms", max = LONGEST_IN_NANOS) Duration keepAlive,
            @DefaultValue("60s") @NotNull @InRange(min = "1ms", max = LONGEST_IN_NANOS) Duration body,
            @DefaultValue("60s") @NotNull @InRange(min = "1ms", max = LONGEST_IN_NANOS) Duration send,
            @DefaultValue("30s") @NotNull @InRange(min = "1ms", max = LONGEST_IN_NANOS) Duration response) {
    }

    /**
     * @param delay Pause between readiness turning REFUSING_TRAFFIC and the listener closing, during which Pier still
     *     serves, so load balancers stop sending traffic before the drain; 0 drains at once
     */
    public record ShutdownSettings(@DefaultValue("0s") @NotNull @InRange(min = "0s") Duration delay) {
    }

    /**
     * @param enabled Whether compressible files (text, JSON, SVG, wasm...) are gzipped on the fly for clients that accept gzip
     * @param precompressed Whether file.br and file.gz beside a compressible file are served in its place to clients that accept them
     * @param minSize Smallest file gzipped on the fly; below it gzip's overhead outweighs the saving; 0 gzips files of any size
     * @param maxSize Largest file gzipped on the fly: compression runs on the event loop, once per file version; precompress larger
     *     ones; at least 1B and min-size (enabled=false turns gzip on the fly off)
     * @param cacheSize Most memory kept for gzipped files, least recently used dropped first; 0 compresses every response anew
     */
    public record Compression(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("true") boolean precompressed,
            @DefaultValue("1KB") @NotNull @InRange(min = "0B") DataSize minSize,
            @DefaultValue("1MB") @NotNull @InRange(min = "1B") DataSize maxSize,
            @DefaultValue("32MB") @NotNull @InRange(min = "0B") DataSize cacheSize) {

        /** Otherwise no file would be gzipped on the fly while enabled says they are. */
        @AssertTrue(message = "pier.compression.min-size must not exceed pier.compression.max-size")
        public boolean isMinSizeAtMostMaxSize() {
            return minSize == null || maxSize == null || minSize.compareTo(maxSize) <= 0;
        }
    }

    /**
     * @param enabled Whether GET requests may ask for byte ranges of a file (Accept-Ranges: bytes)
     * @param maxRanges Most ranges one request may ask for; more get the whole file
     */
    public record Ranges(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("16") @Min(1) @Max(1000) int maxRanges) {
    }

    /**
     * @param enabled Whether every request gets an id: the client's X-Request-Id when it is 1 to 200 visible ASCII
     *     characters, else 32 random hex digits as nginx's $request_id; it goes back in the response's X-Request-Id, the
     *     JSON access log's request_id and the SLF4J MDC's requestId; off by default, as in nginx, since it costs a small
     *     static file about a fifth of its requests per CPU-second
     */
    public record RequestId(@DefaultValue("false") boolean enabled) {
    }

    /**
     * @param enabled Whether clients may speak HTTP/2: h2 offered by ALPN on HTTPS before http/1.1, h2c on plain HTTP by
     *     prior knowledge (the client preface) or Upgrade: h2c; off, every connection is HTTP/1.1
     * @param maxConcurrentStreams Streams a client may have open at once; more are refused (REFUSED_STREAM), and a reset
     *     stream keeps its slot until its handler has finished (MadeYouReset, CVE-2025-8671)
     * @param initialWindowSize Request body bytes a client may send on a stream ahead of its handler reading them: the
     *     most Pier buffers per stream
     * @param maxFrameSize Largest frame payload Pier accepts; at least 16KB
     * @param headerTableSize HPACK dynamic table Pier keeps for a client's header blocks; the header list itself is bounded
     *     by pier.limits.header-bytes
     * @param maxContinuationFrames CONTINUATION frames one header block may take; more closes the connection with
     *     ENHANCE_YOUR_CALM (CVE-2024-27316)
     * @param maxResets Stream resets per abuse-window, sent by the client or by Pier for the client's errors; more closes
     *     the connection with ENHANCE_YOUR_CALM (Rapid Reset, CVE-2023-44487; MadeYouReset, CVE-2025-8671)
     * @param maxControlFrames Frames asking for no request's work (SETTINGS, PING, PRIORITY, empty DATA) per abuse-window;
     *     more closes the connection with ENHANCE_YOUR_CALM
     * @param abuseWindow Period over which resets and control frames are counted
     */
    public record Http2(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("128") @Min(1) @Max(100000) int maxConcurrentStreams,
            @DefaultValue("64KB") @NotNull @InRange(min = "1B", max = "2147483647B") DataSize initialWindowSize,
            @DefaultValue("16KB") @NotNull @InRange(min = "16KB", max = "16777215B") DataSize maxFrameSize,
            @DefaultValue("4KB") @NotNull @InRange(min = "0B", max = "1MB") DataSize headerTableSize,
            @DefaultValue("16") @Min(0) @Max(10000) int maxContinuationFrames,
            @DefaultValue("200") @Min(1) int maxResets,
            @DefaultValue("10000") @Min(1) int maxControlFrames,
            @DefaultValue("30s") @NotNull @InRange(min = "1ms", max = LONGEST_IN_NANOS) Duration abuseWindow) {
    }

    /**
     * @param enabled Whether each request is logged to the logger pier.access (routed, rotated or silenced by the logging
     *     configuration, e.g. logging.level.pier.access=off)
     * @param format Line format: combined (NCSA Combined Log Format, as nginx and Apache write it), common (without referer
     *     and user agent) or json (one object per line, response time included)
     * @param responseTime Whether combined and common lines end with the response time in milliseconds
     * @param exclude Ant-style patterns of request paths not logged, though still counted in metrics: by default the probes
     *     orchestrators send every few seconds; set it empty to log every request
     */
    public record AccessLog(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("combined") @NotNull AccessLogFormat format,
            @DefaultValue("false") boolean responseTime,
            @DefaultValue({"/livez", "/readyz", "/actuator/health/**"}) List<@AntPattern String> exclude) {

        public AccessLog {
            exclude = exclude == null ? List.of() : List.copyOf(exclude);
        }
    }

    /**
     * @param allowedOrigins Origins whose scripts may read static files, e.g. https://app.example.com, or * for any; none turns CORS off
     * @param allowedMethods Methods a preflight may ask for
     * @param allowedHeaders Request headers a preflight may ask for, or * for any
     * @param exposedHeaders Response headers scripts may read besides the CORS-safelisted ones, e.g. ETag
     * @param maxAge How long browsers may cache a preflight's answer, in whole seconds; 0 has them send a preflight every time
     * @param allowCredentials Whether requests with cookies or HTTP authentication may read responses; needs exact origins, not *
     */
    public record Cors(
            List<String> allowedOrigins,
            @DefaultValue({"GET", "HEAD"}) List<String> allowedMethods,
            @DefaultValue("*") List<String> allowedHeaders,
            List<String> exposedHeaders,
            @DefaultValue("30m") @NotNull @InRange(min = "0s") Duration maxAge,
            @DefaultValue("false") boolean allowCredentials) {

        public Cors {
            allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
            allowedMethods = allowedMethods == null ? List.of() : List.copyOf(allowedMethods);
            allowedHeaders = allowedHeaders == null ? List.of() : List.copyOf(allowedHeaders);
            exposedHeaders = exposedHeaders == null ? List.of() : List.copyOf(exposedHeaders);
        }

        /** The Fetch standard never lets {@code *} stand for an origin that may send credentials. */
        @AssertTrue(message = "allow-credentials needs the exact origins in allowed-origins, not *")
        public boolean isCredentialsLimitedToListedOrigins() {
            return !allowCredentials || allowedOrigins.stream().noneMatch(origin -> origin.trim().equals("*"));
        }
    }

    /**
     * @param paths Request paths remembered with the file they resolved to, so a repeated request costs no system call; 0 remembers none
     * @param revalidateAfter How long a remembered path is trusted before it is resolved again, so a changed, replaced or removed file is
     *     seen within this time (as nginx's open_file_cache_valid); 0 resolves every request
     * @param openFiles Most larger files kept open between requests (as nginx's open_file_cache), each for at most revalidate-after;
     *     0 opens a file for each response
     * @param maxFileSize Largest file whose bytes are held in memory and sent in one write with the response head; larger files go
     *     zero-copy from disk with sendfile; 0 sends every file from disk, 2147483639B at most
     * @param size Most memory for held files, least recently used dropped first; 0 holds none
     */
    public record FileCache(
            @DefaultValue("10000") @Min(0) int paths,
            @DefaultValue("1s") @NotNull @InRange(min = "0s", max = LONGEST_IN_NANOS) Duration revalidateAfter,
            @DefaultValue("1000") @Min(0) int openFiles,
            @DefaultValue("32KB") @NotNull @InRange(min = "0B", max = LARGEST_ARRAY) DataSize maxFileSize,
            @DefaultValue("64MB") @NotNull @InRange(min = "0B") DataSize size) {
    }
}
