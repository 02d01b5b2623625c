package dev.pier.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pier.PierApplication;
import dev.pier.handler.ExchangeFilter;
import dev.pier.handler.ForwardingExchange;
import dev.pier.http.HttpResponse;
import dev.pier.route.Response;
import dev.pier.route.RoutePredicate;
import dev.pier.route.Routes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link ExchangeFilter} beans run around every exchange, not only routes: static files, Actuator
 * and routes on the loop or on workers all carry the request id in the response, the JSON access
 * log and, for code that logs, the MDC, and a filter may answer for the handler.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class RequestIdOverSocketTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Map<String, String> SEEN_BY_ROUTES = new ConcurrentHashMap<>();

    private static ConfigurableApplicationContext context;
    private static String base;
    private static final ListAppender<ILoggingEvent> LINES = new ListAppender<>();

    @Configuration(proxyBeanMethods = false)
    static class Application {

        @Bean
        Routes probes() {
            return Routes.builder()
                    .get("/worker/{name}", request -> {
                        SEEN_BY_ROUTES.put(request.pathVariable("name"), String.valueOf(MDC.get(RequestIdFilter.MDC_KEY)));
                        return Response.ok("on a worker");
                    })
                    .get("/files/{*rest}", request -> Response.ok("rest=" + request.pathVariable("rest")))
                    .post("/imports", RoutePredicate.contentType("text/csv"), request -> Response.ok("csv"))
                    .onEventLoop()
                    .post("/loop/{name}", request -> {
                        SEEN_BY_ROUTES.put(request.pathVariable("name"), String.valueOf(MDC.get(RequestIdFilter.MDC_KEY)));
                        return Response.ok("on the loop, after the body");
                    })
                    .build();
        }

        /** Answers for any handler when asked to, and marks every answer that passes through it. */
        @Bean
        @Order(10)
        ExchangeFilter gate() {
            return (exchange, chain) -> {
                if (exchange.request().header("X-Stop") != null) {
                    exchange.respond(HttpResponse.status(403).body("stopped by a filter").build());
                    return;
                }
                chain.proceed(new ForwardingExchange(exchange) {
                    @Override
                    public void respond(HttpResponse response) {
                        super.respond(new HttpResponse(response.status(), response.headers().toBuilder().add("X-Filtered", "yes").build(),
                                response.body()));
                    }
                });
            };
        }
    }

    @BeforeAll
    static void start() {
        context = new SpringApplicationBuilder(PierApplication.class, Application.class).run("--server.port=0", "--pier.document-root=site",
                "--pier.event-loops=1", "--pier.access-log.format=json", "--pier.access-log.exclude=", "--pier.request-id.enabled=true");
        // After the start: Boot's logging system resets appenders as it starts.
        LINES.start();
        ((Logger) LoggerFactory.getLogger(AccessLog.LOGGER_NAME)).addAppender(LINES);
        base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(AccessLog.LOGGER_NAME)).detachAppender(LINES);
        if (context != null) {
            context.close();
        }
    }

    @Test
    void whenAnyHandlerAnswersThenTheResponseCarriesAFreshIdInNginxsShapeAndTheFiltersMark() throws Exception {
        for (String path : List.of("/", "/livez", "/actuator/health", "/no-such-file", "/worker/a")) {
            java.net.http.HttpResponse<String> response = get(path, Map.of());
            assertThat(response.headers().firstValue(RequestIdFilter.HEADER)).as(path).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
            assertThat(response.headers().firstValue("X-Filtered")).as(path).hasValue("yes");
        }
        assertThat(get("/", Map.of()).headers().firstValue(RequestIdFilter.HEADER))
                .isNotEqualTo(get("/", Map.of()).headers().firstValue(RequestIdFilter.HEADER));
    }

    @Test
    void whenTheClientSendsAnIdThenItIsKeptUnlessItIsUnfitForALog() throws Exception {
        assertThat(get("/", Map.of(RequestIdFilter.HEADER, "edge-42")).headers().firstValue(RequestIdFilter.HEADER)).hasValue("edge-42");
        assertThat(get("/", Map.of(RequestIdFilter.HEADER, "x".repeat(201))).headers().firstValue(RequestIdFilter.HEADER))
                .hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
    }

    @Test
    void whenARouteRunsLaterOnAWorkerOrAfterItsBodyThenItsLogLinesStillCarryTheId() throws Exception {
        get("/worker/w", Map.of(RequestIdFilter.HEADER, "worker-id"));
        java.net.http.HttpResponse<String> posted = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/loop/l"))
                .header(RequestIdFilter.HEADER, "loop-id").POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(SEEN_BY_ROUTES).containsEntry("w", "worker-id").containsEntry("l", "loop-id");
    }

    @Test
    void whenAFilterAnswersThenNoHandlerRunsAndTheOuterFiltersStillSeeTheAnswer() throws Exception {
        java.net.http.HttpResponse<String> stopped = get("/worker/never", Map.of("X-Stop", "1"));

        assertThat(stopped.statusCode()).isEqualTo(403);
        assertThat(stopped.body()).isEqualTo("stopped by a filter");
        assertThat(stopped.headers().firstValue(RequestIdFilter.HEADER)).as("the request id filter is outside the gate").isPresent();
        assertThat(SEEN_BY_ROUTES).doesNotContainKey("never");
    }

    @Test
    void whenTheAccessLogIsJsonThenEachLineHasTheIdTheClientGot() throws Exception {
        String id = get("/", Map.of()).headers().firstValue(RequestIdFilter.HEADER).orElseThrow();

        await().atMost(Duration.ofSeconds(5)).until(() -> lines().stream().anyMatch(line -> id.equals(line.path("request_id").asString(null))));
        JsonNode line = lines().stream().filter(each -> id.equals(each.path("request_id").asString(null))).findFirst().orElseThrow();
        assertThat(line.get("uri").asString()).isEqualTo("/");
        assertThat(line.get("status").asInt()).isEqualTo(200);
    }

    @Test
    void whenRoutesUseAWildcardOrAContentTypePredicateThenAClientOverTheSocketSeesBoth() throws Exception {
        assertThat(get("/files/a/b%20c.txt", Map.of()).body()).isEqualTo("rest=a/b c.txt");
        java.net.http.HttpResponse<String> csv = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/imports"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString("a,b")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        java.net.http.HttpResponse<String> xml = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/imports"))
                .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofString("<a/>")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(csv.body()).isEqualTo("csv");
        assertThat(xml.statusCode()).isEqualTo(415);
        assertThat(xml.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JsonMapper.shared().readTree(xml.body()).get("detail").asString()).isEqualTo("This route needs a body of type text/csv");
    }

    private static List<JsonNode> lines() {
        synchronized (LINES) {
            return List.copyOf(LINES.list).stream().map(event -> JsonMapper.shared().readTree(event.getFormattedMessage())).toList();
        }
    }

    private static java.net.http.HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        headers.forEach(request::header);
        return CLIENT.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }
}
