package dev.pier.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import dev.pier.PierApplication;
import dev.pier.RawHttp;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole application writing its access log in each format, for requests sent over a socket,
 * through the logging configuration it ships ({@code logback-spring.xml}).
 */
@ExtendWith(OutputCaptureExtension.class)
class AccessLogOverSocketTests {

    private static final Pattern CLF_TIME = Pattern.compile("\\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}]");

    @TempDir
    Path site;

    private ConfigurableApplicationContext context;
    private ListAppender<ILoggingEvent> lines;

    @AfterEach
    void close() {
        if (lines != null) {
            accessLogger().detachAppender(lines);
        }
        if (context != null) {
            context.close();
        }
    }

    @Test
    void whenDefaultsThenCombinedLinesWrittenByTheAccessLogThreadToTheConsoleAsTheyAre(CapturedOutput output) throws IOException {
        int port = start();
        Logger logger = accessLogger();
        assertThat(logger.isAdditive()).as("not repeated through the root logger").isFalse();
        assertThat(logger.getAppender("ACCESS_CONSOLE")).isInstanceOf(ConsoleAppender.class);

        try (RawHttp http = RawHttp.connect(port)) {
            http.exchange("GET /index.html?x=1 HTTP/1.1\r\nHost: localhost\r\nReferer: http://example.com/\r\nUser-Agent: test-agent/1.0\r\n\r\n");
            http.get("/missing");
        }

        List<String> logged = awaitLines(2);
        assertThat(logged.get(0)).matches("127\\.0\\.0\\.1 - - \\[.+] \"GET /index\\.html\\?x=1 HTTP/1\\.1\" 200 \\d+ \"http://example\\.com/\" \"test-agent/1\\.0\"");
        assertThat(CLF_TIME.matcher(logged.get(0)).find()).isTrue();
        assertThat(logged.get(1)).matches("127\\.0\\.0\\.1 - - \\[.+] \"GET /missing HTTP/1\\.1\" 404 \\d+ \"-\" \"-\"");
        assertThat(lines.list).extracting(ILoggingEvent::getThreadName).as("logged off the event loops").containsOnly("pier-access-log");
        assertThat(context.getBean(MeterRegistry.class).get("pier.accesslog.dropped").functionCounter().count()).isZero();
        // On the console as written, without the application log's timestamp, level and logger name.
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getOut().lines().anyMatch(line -> line.equals(logged.get(1))));
    }

    @Test
    void whenCommonWithResponseTimeThenCommonLinesEndingInMilliseconds() throws IOException {
        int port = start("--pier.access-log.format=common", "--pier.access-log.response-time=true");

        RawHttp.get(port, "/index.html");

        assertThat(awaitLines(1).get(0)).matches("127\\.0\\.0\\.1 - - \\[.+] \"GET /index\\.html HTTP/1\\.1\" 200 \\d+ \\d+\\.\\d{3}");
    }

    @Test
    void whenJsonThenOneJsonObjectPerRequestWithItsResponseTime() throws IOException {
        int port = start("--pier.access-log.format=json");

        RawHttp.get(port, "/index.html");

        JsonNode line = JsonMapper.shared().readTree(awaitLines(1).get(0));
        assertThat(line.get("remote").asString()).isEqualTo("127.0.0.1");
        assertThat(line.get("method").asString()).isEqualTo("GET");
        assertThat(line.get("uri").asString()).isEqualTo("/index.html");
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("bytes_sent").asLong()).isGreaterThan("<h1>home</h1>".length());
        assertThat(line.get("response_time_ms").isNumber()).isTrue();
        assertThat(line.get("completed").asBoolean()).isTrue();
    }

    @Test
    void whenBytesAreRefusedBeforeTheyMakeARequestThenTheLineHasADashForARequest() throws IOException {
        int port = start();

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 400");
        }

        assertThat(awaitLines(1).get(0)).matches("127\\.0\\.0\\.1 - - \\[.+] \"-\" 400 \\d+ \"-\" \"-\"");
    }

    @Test
    void whenDisabledThenNothingIsLogged() throws IOException {
        int port = start("--pier.access-log.enabled=false");

        assertThat(RawHttp.get(port, "/index.html").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/index.html").status()).isEqualTo(200);

        assertThat(context.getBeansOfType(AccessLog.class)).isEmpty();
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).doesNotContain("pier-access-log");
        assertThat(lines.list).isEmpty();
    }

    /** Starts the application on a free port; the test's appender joins once Boot has configured logging. */
    private int start(String... args) throws IOException {
        Files.writeString(site.resolve("index.html"), "<h1>home</h1>");
        String[] all = new String[args.length + 4];
        all[0] = "--server.port=0";
        all[1] = "--pier.document-root=" + site;
        all[2] = "--pier.event-loops=1";
        all[3] = "--pier.worker-threads=2";
        System.arraycopy(args, 0, all, 4, args.length);
        context = new SpringApplicationBuilder(PierApplication.class).run(all);
        lines = new ListAppender<>();
        lines.start();
        accessLogger().addAppender(lines);
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private List<String> awaitLines(int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.size() >= count);
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static Logger accessLogger() {
        return (Logger) LoggerFactory.getLogger(AccessLog.LOGGER_NAME);
    }
}
