package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.PierApplication;
import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code pier.maintenance} and the {@code maintenance} Actuator endpoint with the whole application's
 * auto-configuration, over a socket: 503 with Retry-After and no-store for the site, the site's page
 * while it exists and Pier's 503 page otherwise, probes and Actuator still answering; the switch
 * flipped by a real POST and read by a GET; no filter when nothing is configured; startup mistakes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MaintenanceOverSocketTests {

    @TempDir
    Path site;

    private ConfigurableApplicationContext start(String... properties) throws IOException {
        Files.writeString(site.resolve("index.html"), "home");
        List<String> arguments = new ArrayList<>(List.of("server.port=0", "pier.document-root=" + site, "pier.event-loops=1", "pier.worker-threads=2"));
        arguments.addAll(List.of(properties));
        // As command-line arguments, above application.yml, as an operator would give them.
        return new SpringApplicationBuilder(PierApplication.class).run(arguments.stream().map(argument -> "--" + argument).toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    private static RawResponse send(ConfigurableApplicationContext context, String request) throws IOException {
        try (RawClient client = RawClient.connect(port(context))) {
            client.send(request);
            return request.startsWith("HEAD ") ? client.readHead() : client.read();
        }
    }

    private static RawResponse get(ConfigurableApplicationContext context, String target) throws IOException {
        return send(context, RawClient.get(target));
    }

    private static RawResponse post(ConfigurableApplicationContext context, String target, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return send(context, "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n" + json);
    }

    @Test
    void whenEnabledBySettingThenTheSiteAnswers503WithRetryAfterNoStoreAndItsPageOnlyWhileItExists() throws IOException {
        try (ConfigurableApplicationContext context = start("pier.maintenance.enabled=true", "pier.maintenance.retry-after=90s",
                "pier.maintenance.page=/maintenance.html")) {
            RawResponse builtIn = get(context, "/");
            assertThat(builtIn.status()).isEqualTo(503);
            assertThat(builtIn.header("Retry-After")).isEqualTo("90");
            assertThat(builtIn.header("Cache-Control")).isEqualTo("no-store");
            assertThat(builtIn.header("Content-Type")).startsWith("text/html");
            assertThat(builtIn.bodyText()).contains("503 Service Unavailable").contains("down for maintenance");

            Files.writeString(site.resolve("maintenance.html"), "<h1>Back soon</h1>");
            RawResponse page = get(context, "/any/path?x=1");
            assertThat(page.status()).isEqualTo(503);
            assertThat(page.bodyText()).isEqualTo("<h1>Back soon</h1>");
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(page.header("Retry-After")).isEqualTo("90");
            assertThat(page.header("Cache-Control")).isEqualTo("no-store");
            assertThat(get(context, "/maintenance.html").status()).isEqualTo(503);

            RawResponse head = send(context, "HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(head.status()).isEqualTo(503);
            assertThat(head.header("Content-Length")).isEqualTo("18");

            RawResponse json = send(context, "GET / HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n");
            assertThat(json.status()).isEqualTo(503);
            assertThat(json.header("Content-Type")).isEqualTo("application/json");
            assertThat(json.header("Retry-After")).isEqualTo("90");

            Files.delete(site.resolve("maintenance.html"));
            assertThat(get(context, "/").bodyText()).contains("down for maintenance");
        }
    }

    @Test
    void whenEnabledThenProbesAndActuatorStillAnswerButNotAFileReachedThroughThem() throws IOException {
        try (ConfigurableApplicationContext context = start("pier.maintenance.enabled=true")) {
            assertThat(get(context, "/livez").status()).isEqualTo(200);
            assertThat(get(context, "/readyz").status()).isEqualTo(200);
            assertThat(get(context, "/actuator/health").status()).isEqualTo(200);
            assertThat(get(context, "/actuator/health/readiness").status()).isEqualTo(200);
            assertThat(get(context, "/actuator").status()).isEqualTo(200);
            assertThat(get(context, "/actuator/..%2Findex.html").status()).isEqualTo(503);
            assertThat(get(context, "/actuator/%2e%2e/index.html").status()).isEqualTo(503);
            assertThat(get(context, "/livez/../index.html").status()).isEqualTo(503);
            assertThat(get(context, "/").header("Retry-After")).isEqualTo("300");
        }
    }

    @Test
    void whenTheEndpointIsExposedThenAPostSwitchesMaintenanceOnAndOffAndAGetTellsTheState() throws IOException {
        try (ConfigurableApplicationContext context = start("management.endpoints.web.exposure.include=health,maintenance",
                "pier.maintenance.retry-after=1m")) {
            assertThat(get(context, "/").bodyText()).isEqualTo("home");
            assertThat(get(context, "/actuator/maintenance").bodyText()).contains("\"enabled\":false").contains("\"retryAfterSeconds\":60");

            RawResponse on = post(context, "/actuator/maintenance", "{\"enabled\":true}");
            assertThat(on.status()).isEqualTo(200);
            assertThat(on.bodyText()).contains("\"enabled\":true").contains("\"since\":");
            RawResponse down = get(context, "/");
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.header("Retry-After")).isEqualTo("60");
            assertThat(get(context, "/actuator/maintenance").bodyText()).contains("\"enabled\":true");
            assertThat(get(context, "/livez").status()).isEqualTo(200);

            assertThat(post(context, "/actuator/maintenance", "{}").status()).isEqualTo(400);
            assertThat(get(context, "/").status()).isEqualTo(503);

            RawResponse off = post(context, "/actuator/maintenance", "{\"enabled\":false}");
            assertThat(off.status()).isEqualTo(200);
            assertThat(off.bodyText()).contains("\"enabled\":false");
            assertThat(get(context, "/").bodyText()).isEqualTo("home");
        }
    }

    @Test
    void whenNothingIsConfiguredThenNoFilterRunsAndTheEndpointIsNotThere() throws IOException {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(PierContextRunner.servesStaticFilesBare(context)).isTrue();
            assertThat(get(context, "/actuator/maintenance").status()).isEqualTo(404);
            assertThat(get(context, "/").bodyText()).isEqualTo("home");
        }
    }

    @Test
    void whenMaintenanceIsConfiguredButTheEndpointNotExposedThenTheEndpointIsNotReachable() throws IOException {
        try (ConfigurableApplicationContext context = start("pier.maintenance.enabled=true")) {
            assertThat(post(context, "/actuator/maintenance", "{\"enabled\":false}").status()).isEqualTo(404);
            assertThat(get(context, "/").status()).isEqualTo(503);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            maintenance.html     | The maintenance page must be a path in the document root starting with /, such as /maintenance.html.
            /../maintenance.html | The maintenance page must be a path in the document root starting with /, such as /maintenance.html.
            """)
    void whenThePageIsNotInTheDocumentRootThenStartupFailsWithOneSentence(String page, String reason) throws IOException {
        Files.writeString(site.resolve("index.html"), "home");
        PierContextRunner.over(site, 1)
                .withConfiguration(AutoConfigurations.of(PierAutoConfiguration.class, MaintenanceAutoConfiguration.class))
                .withPropertyValues("pier.maintenance.page=" + page)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                            .hasMessageContaining("pier.maintenance.page").hasMessageContaining(reason);
                });
    }
}
