package dev.pier.observe;

import dev.pier.server.Exchange;
import dev.pier.server.ExchangeObserver;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one line per exchange to the SLF4J logger {@value #LOGGER_NAME} at INFO, so the
 * logging configuration decides where it goes, how it rotates or whether it is written at all
 * ({@code logging.level.pier.access=off}). Pier's {@code logback-spring.xml} hands it to an
 * asynchronous appender, so an event loop only formats the line (a few hundred nanoseconds) and
 * queues it; a full queue drops lines rather than slowing the loop.
 */
public final class AccessLog implements ExchangeObserver {

    /** The logger the lines go to. */
    public static final String LOGGER_NAME = "pier.access";

    private final Logger logger;
    /** One formatter per event loop thread: each keeps its own buffer and cached timestamp. */
    private final ThreadLocal<AccessLogLine> lines;

    public AccessLog(AccessLogFormat format, boolean responseTime) {
        this(format, responseTime, ZoneId.systemDefault());
    }

    AccessLog(AccessLogFormat format, boolean responseTime, ZoneId zone) {
        this.logger = LoggerFactory.getLogger(LOGGER_NAME);
        this.lines = ThreadLocal.withInitial(() -> new AccessLogLine(format, responseTime, zone));
    }

    @Override
    public void exchangeEnded(Exchange exchange) {
        if (logger.isInfoEnabled()) {
            logger.info(lines.get().format(exchange, System.currentTimeMillis()));
        }
    }
}
