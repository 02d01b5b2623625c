package dev.pier.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpVersion;
import dev.pier.http.RequestTarget;
import dev.pier.server.Exchange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The queue between the event loops and the access log's writer thread: order, draining on close, dropping when full. */
class AccessLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER_NAME);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch blocked = new CountDownLatch(1);
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private volatile boolean blockFirst;

    /** Collects events; with {@link #blockFirst} it holds the writer on the first line, as a slow console would. */
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            if (blockFirst && events.isEmpty()) {
                blocked.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            events.add(event);
        }
    };

    @BeforeEach
    void attach() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        release.countDown();
        logger.detachAppender(appender);
    }

    @Test
    void whenExchangesEndThenTheWriterThreadLogsTheirLinesInOrder() throws Exception {
        AccessLog accessLog = new AccessLog(AccessLogFormat.COMMON, false, List.of(), ZoneId.of("UTC"), 100, Duration.ofMillis(5));
        for (int status = 200; status < 210; status++) {
            accessLog.exchangeEnded(exchange(status));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 10);
        accessLog.close();

        assertThat(events).extracting(ILoggingEvent::getThreadName).containsOnly(AccessLog.THREAD_NAME);
        assertThat(events).extracting(event -> event.getFormattedMessage().replaceAll(".*\" (\\d{3}) .*", "$1"))
                .containsExactly("200", "201", "202", "203", "204", "205", "206", "207", "208", "209");
        assertThat(accessLog.dropped()).isZero();
    }

    @Test
    void whenClosedThenWhatWasStillWaitingIsWrittenAndTheThreadEnds() throws Exception {
        AccessLog accessLog = new AccessLog(AccessLogFormat.COMMON, false, List.of(), ZoneId.of("UTC"), 100, Duration.ofHours(1));
        // The writer drained once when it started, then sleeps an hour: only close() can write these.
        await().atMost(Duration.ofSeconds(5)).until(() -> writerThread() != null && writerThread().getState() == Thread.State.TIMED_WAITING);
        accessLog.exchangeEnded(exchange(200));
        accessLog.exchangeEnded(exchange(404));

        accessLog.close();

        assertThat(events).hasSize(2);
        assertThat(writerThread()).isNull();
    }

    @Test
    void whenTheWriterFallsBehindThenLinesBeyondTheCapacityAreDroppedAndCountedNotWaitedFor() throws Exception {
        blockFirst = true;
        AccessLog accessLog = new AccessLog(AccessLogFormat.COMMON, false, List.of(), ZoneId.of("UTC"), 3, Duration.ofMillis(1));
        accessLog.exchangeEnded(exchange(200));
        assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            accessLog.exchangeEnded(exchange(201));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the loop never waits for the writer").isLessThan(Duration.ofSeconds(1));
        assertThat(accessLog.dropped()).isEqualTo(7);

        release.countDown();
        accessLog.close();
        assertThat(events).hasSize(4);
    }

    @Test
    void whenTheLoggerIsOffThenNothingIsFormattedNorQueued() throws Exception {
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.OFF);
        try {
            AccessLog accessLog = new AccessLog(AccessLogFormat.COMBINED, false, List.of(), ZoneId.of("UTC"), 1, Duration.ofMillis(1));
            accessLog.exchangeEnded(exchange(200));
            accessLog.exchangeEnded(exchange(200));
            accessLog.close();
            assertThat(accessLog.dropped()).isZero();
            assertThat(events).isEmpty();
        } finally {
            logger.setLevel(level);
        }
    }

    @Test
    void whenPathIsExcludedThenItIsNotLoggedUnlessDotSegmentsCouldLeadElsewhere() throws Exception {
        AccessLog accessLog = new AccessLog(AccessLogFormat.COMMON, false, List.of("/livez", "/readyz", "/actuator/health/**"),
                ZoneId.of("UTC"), 100, Duration.ofMillis(5));
        for (String path : List.of("/livez", "/readyz", "/actuator/health", "/actuator/health/liveness", "/index.html", "/livez/x",
                "/actuator/health/../../admin", "/actuator/health/./liveness", "/actuatorx/health")) {
            accessLog.exchangeEnded(exchange(path));
        }
        accessLog.exchangeEnded(exchange(400));
        accessLog.close();

        assertThat(events).extracting(event -> event.getFormattedMessage().replaceAll(".*\"GET (\\S+) .*", "$1").replaceAll(".*\"-\".*", "-"))
                .containsExactly("/index.html", "/livez/x", "/actuator/health/../../admin", "/actuator/health/./liveness", "/actuatorx/health", "-");
    }

    private static Thread writerThread() {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().equals(AccessLog.THREAD_NAME)).findFirst().orElse(null);
    }

    private static Exchange exchange(String path) throws Exception {
        HttpRequest request = new HttpRequest(HttpMethod.GET, new RequestTarget(path, path, null, path), HttpVersion.HTTP_1_1,
                HttpHeaders.builder().add("Host", "localhost").build(), null);
        return new Exchange(new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000), request, null, 200, HttpHeaders.EMPTY, 100, 100, 0, 0, true, null);
    }

    private static Exchange exchange(int status) throws Exception {
        return new Exchange(new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000), null, null, status, HttpHeaders.EMPTY, 100, 100, 0, 0, true, null);
    }
}
