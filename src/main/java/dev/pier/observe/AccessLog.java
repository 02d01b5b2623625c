package dev.pier.observe;

import dev.pier.handler.TrustedProxies;
import dev.pier.http.HttpRequest;
import dev.pier.http.PathPattern;
import dev.pier.server.Exchange;
import dev.pier.server.ExchangeObserver;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one line per exchange to the SLF4J logger {@value #LOGGER_NAME} at INFO, so the
 * logging configuration decides where it goes, how it rotates or whether it is written at all
 * ({@code logging.level.pier.access=off}).
 *
 * <p>Off the event loop's hot path: a loop only formats the line (into a reused buffer, a few
 * hundred nanoseconds) and adds it to a lock-free queue; the thread {@value #THREAD_NAME} takes
 * what has gathered every {@link #DEFAULT_INTERVAL} and logs it, so the logging framework's work
 * and the write to the console happen there. The loops never wake that thread, nor wait for it.
 * Logback's {@code AsyncAppender} was measured first and cost a third of the throughput on two
 * cores: its queue takes a lock and signals its writer for every line, waking it for every request
 * (docs/OPERATIONS.md, "Logs"). When {@link #DEFAULT_CAPACITY} lines are waiting, new ones are
 * dropped and counted ({@link #dropped()}) rather than slow the server down.
 */
public final class AccessLog implements ExchangeObserver, AutoCloseable {

    /** The logger the lines go to. */
    public static final String LOGGER_NAME = "pier.access";

    static final String THREAD_NAME = "pier-access-log";

    /** How often the writer takes the lines that have gathered: the most a line waits before it is logged. */
    static final Duration DEFAULT_INTERVAL = Duration.ofMillis(10);

    /** Lines that may wait; at 100,000 requests a second the writer has 80 ms of slack. */
    static final int DEFAULT_CAPACITY = 8192;

    private final Logger logger;
    private final PathPattern[] excluded;
    /** One formatter per event loop thread: each keeps its own buffer and cached timestamp. */
    private final ThreadLocal<AccessLogLine> lines;
    private final int capacity;
    private final long intervalNanos;
    private final Queue<String> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile boolean open = true;

    /**
     * Starts the writer thread; {@link #close()} stops it.
     *
     * @param exclude path patterns ({@link PathPattern}) of requests not to log, such as health probes
     * @throws IllegalArgumentException if a pattern is not a path pattern
     */
    public AccessLog(AccessLogFormat format, boolean responseTime, List<String> exclude) {
        this(format, responseTime, exclude, TrustedProxies.NONE);
    }

    /**
     * @param proxies whose forwarded client address the line shows instead of theirs, as nginx's
     *     {@code $remote_addr} with its realip module
     */
    public AccessLog(AccessLogFormat format, boolean responseTime, List<String> exclude, TrustedProxies proxies) {
        this(format, responseTime, exclude, proxies, ZoneId.systemDefault(), DEFAULT_CAPACITY, DEFAULT_INTERVAL);
    }

    AccessLog(AccessLogFormat format, boolean responseTime, List<String> exclude, ZoneId zone, int capacity, Duration interval) {
        this(format, responseTime, exclude, TrustedProxies.NONE, zone, capacity, interval);
    }

    AccessLog(AccessLogFormat format, boolean responseTime, List<String> exclude, TrustedProxies proxies, ZoneId zone, int capacity,
            Duration interval) {
        this.logger = LoggerFactory.getLogger(LOGGER_NAME);
        this.excluded = exclude.stream().map(PathPattern::compile).toArray(PathPattern[]::new);
        this.lines = ThreadLocal.withInitial(() -> new AccessLogLine(format, responseTime, zone, proxies));
        this.capacity = capacity;
        this.intervalNanos = interval.toNanos();
        this.writer = new Thread(this::write, THREAD_NAME);
        writer.setDaemon(true);
        writer.start();
    }

    /** On the event loop: format, queue, return. */
    @Override
    public void exchangeEnded(Exchange exchange) {
        if (!logger.isInfoEnabled() || isExcluded(exchange.request())) {
            return;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            dropped.increment();
            return;
        }
        waiting.add(lines.get().format(exchange, System.currentTimeMillis()));
    }

    /**
     * A request refused before it was one has no path, and is always logged; so is a path with dot
     * segments, or {@code /livez/../admin} would reach a handler unlogged.
     */
    private boolean isExcluded(HttpRequest request) {
        if (request == null || excluded.length == 0 || hasDotSegment(request.path())) {
            return false;
        }
        for (PathPattern pattern : excluded) {
            if (pattern.matches(request.path())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasDotSegment(String path) {
        for (int dot = path.indexOf("/."); dot >= 0; dot = path.indexOf("/.", dot + 1)) {
            int end = dot + 2;
            if (end < path.length() && path.charAt(end) == '.') {
                end++;
            }
            if (end == path.length() || path.charAt(end) == '/') {
                return true;
            }
        }
        return false;
    }

    /** Lines dropped because the queue was full: the writer could not keep up with the traffic. */
    public long dropped() {
        return dropped.sum();
    }

    private void write() {
        while (open) {
            drain();
            LockSupport.parkNanos(this, intervalNanos);
        }
        drain();
    }

    private void drain() {
        String line;
        while ((line = waiting.poll()) != null) {
            size.decrementAndGet();
            try {
                logger.info(line);
            } catch (RuntimeException e) {
                // A broken appender must not end the writer: the queue would fill and every line after be dropped.
                dropped.increment();
            }
        }
    }

    /** Writes what is still waiting and stops the writer; Spring calls it when the context closes. */
    @Override
    public void close() throws InterruptedException {
        open = false;
        LockSupport.unpark(writer);
        writer.join(TimeUnit.SECONDS.toMillis(5));
    }
}
