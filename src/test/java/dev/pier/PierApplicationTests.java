package dev.pier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The whole application, examples included, on a free port; everything checked over a raw socket. */
@SpringBootTest(properties = {"server.port=0", "pier.event-loops=2", "pier.worker-threads=4"})
@ActiveProfiles("examples")
class PierApplicationTests {

    @Value("${local.server.port}")
    int port;

    @Autowired
    BuildProperties build;

    @Test
    void whenStartedThenPortIsAnActualOne() {
        assertThat(port).isPositive().isNotEqualTo(8080);
    }

    @Test
    void whenGetHelloThenTestHandlerAnswersWithPierServerHeader() throws IOException {
        RawHttp.Response response = RawHttp.get(port, "/hello");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello");
        assertThat(response.header("Content-Type")).isEqualTo("text/plain;charset=utf-8");
        assertThat(response.header("Server")).startsWith("Pier/").isEqualTo("Pier/" + build.getVersion());
        assertThat(response.header("Date")).isNotBlank();
    }

    @Test
    void whenGetRootThenLandingPageFromSiteFolder() throws IOException {
        RawHttp.Response response = RawHttp.get(port, "/");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(response.body()).contains("Pier").isEqualTo(Files.readString(Path.of("site/index.html"), StandardCharsets.UTF_8));
        assertThat(response.header("Server")).startsWith("Pier/");
    }

    @Test
    void whenPostFormToEchoThenFieldsComeBackAsJson() throws IOException {
        RawHttp.Response response;
        try (RawHttp http = RawHttp.connect(port)) {
            response = http.post("/echo", "application/x-www-form-urlencoded", "name=Ada&lang=Java");
        }
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode fields = JsonMapper.shared().readTree(response.body());
        assertThat(fields.propertyNames()).containsExactlyInAnyOrder("name", "lang");
        assertThat(fields.get("name").get(0).asString()).isEqualTo("Ada");
        assertThat(fields.get("lang").get(0).asString()).isEqualTo("Java");
    }

    @Test
    void whenHandlerThrowsThen500WithoutDetailsAndServerKeepsServing() throws IOException {
        try (RawHttp http = RawHttp.connect(port)) {
            RawHttp.Response failure = http.get("/boom");
            assertThat(failure.status()).isEqualTo(500);
            assertThat(failure.body()).contains("could not complete the request")
                    .doesNotContain("kaboom").doesNotContain("IllegalStateException");
            // The failed handler may have left anything half done: that connection ends...
            assertThat(failure.header("Connection")).isEqualTo("close");
            assertThat(http.isClosedByServer()).isTrue();
        }
        // ...and the server carries on.
        assertThat(RawHttp.get(port, "/hello").body()).isEqualTo("Hello");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Handlers {

        @Bean
        HttpHandler helloHandler() {
            return get("/hello", () -> HttpResponse.status(200).body("Hello").build());
        }

        @Bean
        HttpHandler failingHandler() {
            return get("/boom", () -> {
                throw new IllegalStateException("kaboom");
            });
        }

        private static HttpHandler get(String path, Supplier<HttpResponse> answer) {
            return new HttpHandler() {
                @Override
                public boolean accepts(HttpRequest request) {
                    return request.method() == HttpMethod.GET && request.path().equals(path);
                }

                @Override
                public HttpResponse handle(HttpRequest request) {
                    return answer.get();
                }
            };
        }
    }
}
