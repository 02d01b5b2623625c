package dev.pier.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;


import dev.pier.PierApplication;
import dev.pier.examples.TodoRoutes.Todo;
import dev.pier.observe.AccessLog;
import dev.pier.test.PierTestClient;
import dev.pier.test.TestResponse;
import io.micrometer.core.instrument.MeterRegistry;
import dev.pier.test.LogCapture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * The to-do routes of the examples as a client meets them over a socket: created with 201 and
 * {@code Location}, read, listed with a filter, replaced, deleted with 204; bad JSON, unknown ids
 * and wrong methods answered with RFC 9457 problem details; HEAD and OPTIONS from the routes; the
 * route templates as the metric's {@code uri} tag. The application context, to-dos included, is
 * shared with other tests of the same configuration ({@code PierTestClientTests}): the titles here
 * are this test's own.
 */
@SpringBootTest(classes = PierApplication.class, properties = {"server.port=0", "spring.profiles.active=examples", "pier.document-root=site",
        "pier.event-loops=1", "pier.worker-threads=2", "pier.access-log.enabled=false"})
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class TodoRoutesTests {

    private static final String TODOS = "/examples/todos";

    @Autowired
    PierTestClient client;

    @Autowired
    MeterRegistry registry;

    @Test
    void whenTheReadmesCurlPostsATitleAloneThenTheTodoIsCreatedNotDone() {
        assertThat(client.post(TODOS).body("{\"title\":\"Try Pier\"}", "application/json").exchange()).hasStatus(201)
                .bodyJson().extractingPath("$.done").isEqualTo(false);
    }

    @Test
    void whenATodoGoesThroughItsLifeThenEachStepAnswersAsRestClientsExpect() {
        TestResponse created = client.post(TODOS).json(new Todo(null, "Write docs", false)).exchange();
        long id = created.body(Todo.class).id();
        assertThat(created).hasStatus(201).hasHeader("Location", TODOS + "/" + id).hasHeader("Content-Type", "application/json");

        assertThat(client.get(TODOS + "/" + id).exchange()).bodyJson().extractingPath("$.title").isEqualTo("Write docs");
        assertThat(client.put(TODOS + "/" + id).json(new Todo(null, "Write docs", true)).exchange()).hasStatus(200);
        assertThat(client.get(TODOS + "?done=true").exchange()).bodyJson().extractingPath("$[*].title").asArray().contains("Write docs");
        assertThat(client.get(TODOS + "?done=false").exchange()).bodyJson().extractingPath("$[*].title").asArray().doesNotContain("Write docs");

        assertThat(client.delete(TODOS + "/" + id).exchange()).hasStatus(204).hasEmptyBody();

        assertThat(client.get(TODOS + "/" + id).exchange()).isProblem(404).hasHeader("Content-Type", "application/problem+json").bodyJson()
                .isLenientlyEqualTo("{\"title\":\"Not Found\",\"detail\":\"No to-do " + id + "\",\"instance\":\"" + TODOS + "/" + id + "\"}");
    }

    @Test
    void whenTheJsonIsMalformedOrTheIdNotANumberThenBadRequestProblemsSayWhat() {
        assertThat(client.post(TODOS).json("{\"title\":").exchange()).hasStatus(400)
                .bodyJson().extractingPath("$.detail").asString().startsWith("The JSON body could not be read");

        assertThat(client.post(TODOS).json("{\"title\":\"x\",\"done\":\"perhaps\"}").exchange()).hasStatus(400);

        assertThat(client.get(TODOS + "/abc").exchange()).hasStatus(400)
                .bodyJson().extractingPath("$.detail").isEqualTo("Path variable id is not a valid Long: abc");
    }

    @Test
    void whenTheMethodIsNotARoutesThen405WithAllowAndOptionsAndHeadComeFromTheRoutes() {
        assertThat(client.patch(TODOS).json("{}").exchange()).hasStatus(405).hasHeader("Allow", "GET, HEAD, OPTIONS, POST")
                .hasHeader("Content-Type", "application/problem+json");

        assertThat(client.options(TODOS + "/1").exchange()).hasStatus(204).hasHeader("Allow", "DELETE, GET, HEAD, OPTIONS, PUT");

        assertThat(client.head(TODOS).exchange()).hasStatus(200).hasEmptyBody().hasHeader("Content-Type", "application/json");
    }

    @Test
    void whenARequestComesThenItsIdIsTakenOrMadeAndSentBack() {
        assertThat(client.get(TODOS).header("X-Request-Id", "abc-123").exchange()).hasHeader("X-Request-Id", "abc-123");

        TestResponse made = client.get(TODOS + "/999999").exchange();
        assertThat(made).hasStatus(404);
        assertThat(made.header("X-Request-Id")).matches("[0-9a-f]{32}");

        TestResponse refused = client.get(TODOS).header("X-Request-Id", "x".repeat(300)).exchange();
        assertThat(refused.header("X-Request-Id")).as("an id too long to log is replaced").matches("[0-9a-f]{32}");
    }

    @Test
    void whenRoutesAnswerThenTheMetricNamesTheirTemplatesNotThePaths() {
        client.get(TODOS + "/12345").exchange();

        assertThat(registry.find("http.server.requests").tag("uri", "/examples/todos/{id}").timers()).isNotEmpty();
        assertThat(registry.find("http.server.requests").tag("uri", "/examples/todos/12345").timers()).isEmpty();
    }

    @Test
    void whenTheAccessLogIsJsonThenItNamesTheRoute() {
        try (ConfigurableApplicationContext json = new SpringApplicationBuilder(PierApplication.class).profiles("examples").run("--server.port=0",
                "--pier.document-root=site", "--pier.event-loops=1", "--pier.access-log.format=json");
                // After the start: Boot's logging system may reset appenders as a context starts.
                LogCapture lines = LogCapture.of(AccessLog.LOGGER_NAME)) {
            PierTestClient.from(json).get(TODOS + "/7").exchange();
            await().atMost(Duration.ofSeconds(5)).until(() -> !lines.messages().isEmpty());
            assertThat(JsonMapper.shared().readTree(lines.messages().get(0)).get("route").asString()).isEqualTo("/examples/todos/{id}");
        }
    }
}
