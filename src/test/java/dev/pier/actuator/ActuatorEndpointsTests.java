package dev.pier.actuator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.PierApplication;
import dev.pier.RawHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Actuator served by Pier on the application's port, as an operator or a probe reaches it: the
 * links page, health and its groups with their additional paths, content negotiation, exposure,
 * metrics with a path variable and a query parameter, and a user endpoint with read and write
 * operations. Every exchange goes over a raw socket.
 */
@SpringBootTest(classes = {PierApplication.class, ActuatorEndpointsTests.Endpoints.class}, properties = {
        "server.port=0", "pier.event-loops=1", "pier.worker-threads=4",
        "management.endpoints.web.exposure.include=health,info,metrics,greeting",
        "management.endpoints.web.exposure.exclude=info",
        "management.endpoint.health.group.custom.include=ping",
        "management.endpoint.health.group.custom.additional-path=server:/healthz"})
class ActuatorEndpointsTests {

    static final String V3_JSON = "application/vnd.spring-boot.actuator.v3+json";

    @Value("${local.server.port}")
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void whenGetBasePathThenLinksToEveryExposedEndpointAsJson() throws IOException {
        RawHttp.Response response = RawHttp.get(port, "/actuator");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo(V3_JSON);
        JsonNode links = json(response).get("_links");
        assertThat(links.propertyNames()).contains("self", "health", "health-path", "metrics", "metrics-requiredMetricName", "greeting", "greeting-name")
                .doesNotContain("info");
        assertThat(links.get("self").get("href").asString()).isEqualTo("http://localhost/actuator");
        assertThat(links.get("self").get("templated").asBoolean()).isFalse();
        assertThat(links.get("health").get("href").asString()).isEqualTo("http://localhost/actuator/health");
        assertThat(links.get("health-path").get("href").asString()).isEqualTo("http://localhost/actuator/health/{*path}");
        assertThat(links.get("health-path").get("templated").asBoolean()).isTrue();
        assertThat(links.get("greeting-name").get("href").asString()).isEqualTo("http://localhost/actuator/greeting/{name}");
    }

    @Test
    void whenGetHealthWithoutAcceptThenUpInActuatorV3Json() throws IOException {
        RawHttp.Response response = RawHttp.get(port, "/actuator/health");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo(V3_JSON);
        JsonNode health = json(response);
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("groups")).extracting(JsonNode::asString).contains("liveness", "readiness", "custom");
    }

    @Test
    void whenGetHealthAcceptingApplicationJsonThenApplicationJson() throws IOException {
        RawHttp.Response response = get("/actuator/health", "application/json");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(json(response).get("status").asString()).isEqualTo("UP");
    }

    @Test
    void whenGetHealthAcceptingAnythingThenActuatorV3Json() throws IOException {
        assertThat(get("/actuator/health", "*/*").header("Content-Type")).isEqualTo(V3_JSON);
        assertThat(get("/actuator/health", "text/html, application/json;q=0.9").header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void whenGetHealthAcceptingOnlyTextPlainThen406() throws IOException {
        RawHttp.Response response = get("/actuator/health", "text/plain");
        assertThat(response.status()).isEqualTo(406);
        assertThat(get("/actuator", "text/plain").status()).isEqualTo(406);
    }

    @Test
    void whenApplicationIsReadyThenLivenessAndReadinessProbesAreUp() throws IOException {
        for (String path : new String[] {"/actuator/health/liveness", "/actuator/health/readiness", "/livez", "/readyz"}) {
            RawHttp.Response response = RawHttp.get(port, path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.header("Content-Type")).as(path).isEqualTo(V3_JSON);
            assertThat(json(response).get("status").asString()).as(path).isEqualTo("UP");
        }
    }

    @Test
    void whenReadinessTurnsRefusingTrafficThenReadinessProbesAnswer503AndLivenessStaysUp() throws IOException {
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        try {
            for (String path : new String[] {"/actuator/health/readiness", "/readyz"}) {
                RawHttp.Response response = RawHttp.get(port, path);
                assertThat(response.status()).as(path).isEqualTo(503);
                assertThat(json(response).get("status").asString()).as(path).isEqualTo("OUT_OF_SERVICE");
            }
            assertThat(RawHttp.get(port, "/livez").status()).isEqualTo(200);
            assertThat(RawHttp.get(port, "/actuator/health/liveness").status()).isEqualTo(200);
        } finally {
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
        }
        assertThat(RawHttp.get(port, "/readyz").status()).isEqualTo(200);
    }

    @Test
    void whenLivenessTurnsBrokenThenLivenessProbesAnswer503AndReadinessStaysUp() throws IOException {
        AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
        try {
            for (String path : new String[] {"/actuator/health/liveness", "/livez"}) {
                RawHttp.Response response = RawHttp.get(port, path);
                assertThat(response.status()).as(path).isEqualTo(503);
                assertThat(json(response).get("status").asString()).as(path).isEqualTo("DOWN");
            }
            assertThat(RawHttp.get(port, "/readyz").status()).isEqualTo(200);
        } finally {
            AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
        }
        assertThat(RawHttp.get(port, "/livez").status()).isEqualTo(200);
    }

    @Test
    void whenCustomGroupHasAnAdditionalServerPathThenItAnswersThereAndUnderHealth() throws IOException {
        RawHttp.Response additional = RawHttp.get(port, "/healthz");
        assertThat(additional.status()).isEqualTo(200);
        assertThat(additional.header("Content-Type")).isEqualTo(V3_JSON);
        assertThat(json(additional).get("status").asString()).isEqualTo("UP");
        assertThat(RawHttp.get(port, "/actuator/health/custom").status()).isEqualTo(200);
    }

    @Test
    void whenHealthGroupIsUnknownThen404() throws IOException {
        assertThat(RawHttp.get(port, "/actuator/health/nosuchgroup").status()).isEqualTo(404);
    }

    @Test
    void whenEndpointIsExcludedFromExposureThen404() throws IOException {
        RawHttp.Response response = RawHttp.get(port, "/actuator/info");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).contains("No endpoint is exposed at this path.");
    }

    @Test
    void whenMetricsIsIncludedThenItListsMeterNames() throws IOException {
        RawHttp.Response response = RawHttp.get(port, "/actuator/metrics");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo(V3_JSON);
        assertThat(json(response).get("names")).extracting(JsonNode::asString).contains("jvm.memory.used");
    }

    @Test
    void whenGetOneMetricWithTagQueryThenPathVariableAndQueryParameterReachTheOperation() throws IOException {
        RawHttp.Response all = RawHttp.get(port, "/actuator/metrics/jvm.memory.used");
        RawHttp.Response heap = RawHttp.get(port, "/actuator/metrics/jvm.memory.used?tag=area:heap");
        assertThat(all.status()).isEqualTo(200);
        assertThat(heap.status()).isEqualTo(200);
        JsonNode allMetric = json(all);
        JsonNode heapMetric = json(heap);
        assertThat(heapMetric.get("name").asString()).isEqualTo("jvm.memory.used");
        assertThat(heapMetric.get("measurements").get(0).get("value").asDouble()).isPositive();
        // The tag filtered the meters: "area" is no longer offered as a tag to drill into.
        assertThat(allMetric.get("availableTags")).extracting(tag -> tag.get("tag").asString()).contains("area", "id");
        assertThat(heapMetric.get("availableTags")).extracting(tag -> tag.get("tag").asString()).contains("id").doesNotContain("area");
    }

    @Test
    void whenMetricIsUnknownThen404AndWhenTagIsMalformedThen400() throws IOException {
        assertThat(RawHttp.get(port, "/actuator/metrics/no.such.meter").status()).isEqualTo(404);
        assertThat(RawHttp.get(port, "/actuator/metrics/jvm.memory.used?tag=area").status()).isEqualTo(400);
    }

    @Test
    void whenUserEndpointIsReadWithSelectorAndQueryThenItAnswers() throws IOException {
        RawHttp.Response response = RawHttp.get(port, "/actuator/greeting/Ada?punctuation=%21");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo(V3_JSON);
        assertThat(json(response).get("message").asString()).isEqualTo("Hello, Ada!");
    }

    @Test
    void whenUserEndpointMissesAMandatoryQueryParameterThen400() throws IOException {
        assertThat(RawHttp.get(port, "/actuator/greeting/Ada").status()).isEqualTo(400);
    }

    @Test
    void whenUserEndpointIsWrittenWithJsonBodyThenLaterReadsSeeTheChange() throws IOException {
        GreetingEndpoint greeting = context.getBean(GreetingEndpoint.class);
        try (RawHttp http = RawHttp.connect(port)) {
            RawHttp.Response write = http.post("/actuator/greeting", "application/json", "{\"salutation\":\"Hi\"}");
            assertThat(write.status()).isEqualTo(204);
            assertThat(http.get("/actuator/greeting/Ada?punctuation=.").body()).contains("Hi, Ada.");
        } finally {
            greeting.salutation = "Hello";
        }
    }

    @Test
    void whenUserEndpointIsWrittenWithoutItsArgumentOrWithBadJsonThen400() throws IOException {
        try (RawHttp http = RawHttp.connect(port)) {
            assertThat(http.post("/actuator/greeting", "application/json", "{\"other\":\"x\"}").status()).isEqualTo(400);
            assertThat(http.post("/actuator/greeting", "application/json", "{not json").status()).isEqualTo(400);
        }
    }

    @Test
    void whenMethodIsNotAnOperationOfTheEndpointThen405WithAllow() throws IOException {
        try (RawHttp http = RawHttp.connect(port)) {
            RawHttp.Response response = http.post("/actuator/health", "application/json", "{}");
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("Allow")).isEqualTo("GET");
        }
    }

    @Test
    void whenHeadThenGetsStatusAndHeadersWithoutABody() throws IOException {
        String health = head("/actuator/health");
        assertThat(health).startsWith("HTTP/1.1 200 ").contains("Content-Type: " + V3_JSON + "\r\n");
        int length = RawHttp.get(port, "/actuator/health").body().getBytes(StandardCharsets.UTF_8).length;
        assertThat(health).contains("Content-Length: " + length + "\r\n").endsWith("\r\n\r\n");
        // A read that finds nothing is 404 for HEAD as for GET.
        assertThat(head("/actuator/metrics/no.such.meter")).startsWith("HTTP/1.1 404 ").endsWith("\r\n\r\n");
    }

    /** Everything the server sends for a HEAD request on a connection it closes after: the head and, if wrong, a body. */
    private String head(String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(5000);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            socket.getOutputStream().write(("HEAD " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private RawHttp.Response get(String path, String accept) throws IOException {
        try (RawHttp http = RawHttp.connect(port)) {
            return http.exchange("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: " + accept + "\r\n\r\n");
        }
    }

    private static JsonNode json(RawHttp.Response response) {
        return JsonMapper.shared().readTree(response.body());
    }

    /** Not a {@code @Configuration}, so component scans of other tests never pick it up. */
    static class Endpoints {

        @Bean
        GreetingEndpoint greetingEndpoint() {
            return new GreetingEndpoint();
        }
    }

    /** A user endpoint: a read with a {@link Selector} and a mandatory query parameter, and a write taking a JSON body. */
    @Endpoint(id = "greeting")
    static class GreetingEndpoint {

        volatile String salutation = "Hello";

        @ReadOperation
        public Map<String, String> greet(@Selector String name, String punctuation) {
            return Map.of("message", salutation + ", " + name + punctuation);
        }

        @WriteOperation
        public void changeSalutation(String salutation) {
            this.salutation = salutation;
        }
    }
}
