package dev.pier.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import dev.pier.PierApplication;
import dev.pier.observe.AccessLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The to-do routes of the examples as a client meets them over a socket: created with 201 and
 * {@code Location}, read, listed with a filter, replaced, deleted with 204; bad JSON, unknown ids
 * and wrong methods answered with RFC 9457 problem details; HEAD and OPTIONS from the routes; the
 * route templates as the metric's {@code uri} tag.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class TodoRoutesTests {

    private static ConfigurableApplicationContext context;
    private static String base;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        context = new SpringApplicationBuilder(PierApplication.class).profiles("examples").run("--server.port=0",
                "--pier.document-root=site", "--pier.event-loops=1", "--pier.worker-threads=2", "--pier.access-log.enabled=false");
        base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/examples/todos";
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void whenATodoGoesThroughItsLifeThenEachStepAnswersAsRestClientsExpect() throws Exception {
        HttpResponse<String> created = send("POST", "", "{\"title\":\"Write docs\",\"done\":false}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode todo = JsonMapper.shared().readTree(created.body());
        long id = todo.get("id").asLong();
        assertThat(created.headers().firstValue("Location")).hasValue("/examples/todos/" + id);
        assertThat(created.headers().firstValue("Content-Type")).hasValue("application/json");

        assertThat(JsonMapper.shared().readTree(send("GET", "/" + id, null).body()).get("title").asString()).isEqualTo("Write docs");
        assertThat(send("PUT", "/" + id, "{\"title\":\"Write docs\",\"done\":true}").statusCode()).isEqualTo(200);
        assertThat(JsonMapper.shared().readTree(send("GET", "?done=true", null).body()).findValuesAsString("title")).contains("Write docs");
        assertThat(JsonMapper.shared().readTree(send("GET", "?done=false", null).body()).findValuesAsString("title")).doesNotContain("Write docs");

        HttpResponse<String> deleted = send("DELETE", "/" + id, null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();

        HttpResponse<String> gone = send("GET", "/" + id, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JsonMapper.shared().readTree(gone.body());
        assertThat(problem.get("status").asInt()).isEqualTo(404);
        assertThat(problem.get("title").asString()).isEqualTo("Not Found");
        assertThat(problem.get("detail").asString()).isEqualTo("No to-do " + id);
        assertThat(problem.get("instance").asString()).isEqualTo("/examples/todos/" + id);
    }

    @Test
    void whenTheJsonIsMalformedOrTheIdNotANumberThenBadRequestProblemsSayWhat() throws Exception {
        HttpResponse<String> malformed = send("POST", "", "{\"title\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JsonMapper.shared().readTree(malformed.body()).get("detail").asString()).startsWith("The JSON body could not be read");

        HttpResponse<String> wrongType = send("POST", "", "{\"title\":\"x\",\"done\":\"perhaps\"}");
        assertThat(wrongType.statusCode()).isEqualTo(400);

        HttpResponse<String> notANumber = send("GET", "/abc", null);
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(JsonMapper.shared().readTree(notANumber.body()).get("detail").asString()).isEqualTo("Path variable id is not a valid Long: abc");
    }

    @Test
    void whenTheMethodIsNotARoutesThen405WithAllowAndOptionsAndHeadComeFromTheRoutes() throws Exception {
        HttpResponse<String> patch = send("PATCH", "", "{}");
        assertThat(patch.statusCode()).isEqualTo(405);
        assertThat(patch.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS, POST");
        assertThat(patch.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        HttpResponse<String> options = send("OPTIONS", "/1", null);
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.headers().firstValue("Allow")).hasValue("DELETE, GET, HEAD, OPTIONS, PUT");

        HttpResponse<String> head = send("HEAD", "", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void whenARequestComesThenItsIdIsTakenOrMadeAndSentBack() throws Exception {
        HttpResponse<String> sent = CLIENT.send(HttpRequest.newBuilder(URI.create(base)).header("X-Request-Id", "abc-123").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sent.headers().firstValue("X-Request-Id")).hasValue("abc-123");

        HttpResponse<String> made = send("GET", "/999999", null);
        assertThat(made.statusCode()).isEqualTo(404);
        assertThat(made.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));

        HttpResponse<String> refused = CLIENT.send(HttpRequest.newBuilder(URI.create(base)).header("X-Request-Id", "x".repeat(300)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.headers().firstValue("X-Request-Id")).as("an id too long to log is replaced").hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
    }

    @Test
    void whenRoutesAnswerThenTheMetricNamesTheirTemplatesNotThePaths() throws Exception {
        send("GET", "/12345", null);

        MeterRegistry registry = context.getBean(MeterRegistry.class);
        assertThat(registry.find("http.server.requests").tag("uri", "/examples/todos/{id}").timers()).isNotEmpty();
        assertThat(registry.find("http.server.requests").tag("uri", "/examples/todos/12345").timers()).isEmpty();
    }

    @Test
    void whenTheAccessLogIsJsonThenItNamesTheRoute() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER_NAME);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try (ConfigurableApplicationContext json = new SpringApplicationBuilder(PierApplication.class).profiles("examples").run("--server.port=0",
                "--pier.document-root=site", "--pier.event-loops=1", "--pier.access-log.format=json")) {
            String port = json.getEnvironment().getProperty("local.server.port");
            CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/examples/todos/7")).build(), HttpResponse.BodyHandlers.discarding());
            await().atMost(Duration.ofSeconds(5)).until(() -> !lines.list.isEmpty());
            assertThat(JsonMapper.shared().readTree(lines.list.get(0).getFormattedMessage()).get("route").asString()).isEqualTo("/examples/todos/{id}");
        } finally {
            logger.detachAppender(lines);
        }
    }

    private static HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
