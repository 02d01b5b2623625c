package dev.pier.actuator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.PierApplication;
import dev.pier.RawHttp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole application under settings that change where and how Actuator is served: a custom
 * base path, a failing health indicator and a status mapping, a separate management port, and the
 * management port turned off. Each test starts and closes its own application; arguments are
 * given on the command line so they win over the project's {@code application.yml}.
 */
class ActuatorConfigurationTests {

    @Test
    void whenBasePathIsCustomThenEndpointsMoveThere() throws IOException {
        try (ConfigurableApplicationContext context = run(List.of(), "--management.endpoints.web.base-path=/manage")) {
            int port = port(context, "local.server.port");
            RawHttp.Response links = RawHttp.get(port, "/manage");
            assertThat(links.status()).isEqualTo(200);
            assertThat(JsonMapper.shared().readTree(links.body()).get("_links").get("health").get("href").asString())
                    .isEqualTo("http://localhost/manage/health");
            assertThat(RawHttp.get(port, "/manage/health").status()).isEqualTo(200);
            assertThat(RawHttp.get(port, "/manage/health/readiness").status()).isEqualTo(200);
            assertThat(RawHttp.get(port, "/actuator/health").status()).isEqualTo(404);
            // The additional probe paths do not depend on the base path.
            assertThat(RawHttp.get(port, "/livez").status()).isEqualTo(200);
        }
    }

    @Test
    void whenAHealthIndicatorIsDownThenHealthAnswers503ButProbesStayUp() throws IOException {
        try (ConfigurableApplicationContext context = run(List.of(DownIndicator.class))) {
            int port = port(context, "local.server.port");
            RawHttp.Response health = RawHttp.get(port, "/actuator/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(JsonMapper.shared().readTree(health.body()).get("status").asString()).isEqualTo("DOWN");
            // The probe groups include only the availability states, as Boot's do.
            assertThat(RawHttp.get(port, "/livez").status()).isEqualTo(200);
            assertThat(RawHttp.get(port, "/readyz").status()).isEqualTo(200);
        }
    }

    @Test
    void whenDownIsMappedTo500ThenHealthAnswers500() throws IOException {
        try (ConfigurableApplicationContext context = run(List.of(DownIndicator.class), "--management.endpoint.health.status.http-mapping.down=500")) {
            RawHttp.Response health = RawHttp.get(port(context, "local.server.port"), "/actuator/health");
            assertThat(health.status()).isEqualTo(500);
            assertThat(JsonMapper.shared().readTree(health.body()).get("status").asString()).isEqualTo("DOWN");
        }
    }

    @Test
    void whenManagementPortIsSeparateThenActuatorIsServedThereOnlyAndProbePathsStayOnTheApplicationPort() throws IOException {
        try (ConfigurableApplicationContext context = run(List.of(), "--management.server.port=0")) {
            int port = port(context, "local.server.port");
            int management = port(context, "local.management.port");
            assertThat(management).isPositive().isNotEqualTo(port);

            assertThat(RawHttp.get(management, "/actuator").status()).isEqualTo(200);
            RawHttp.Response health = RawHttp.get(management, "/actuator/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.header("Content-Type")).isEqualTo(ActuatorEndpointsTests.V3_JSON);
            assertThat(RawHttp.get(management, "/actuator/health/readiness").status()).isEqualTo(200);

            // On the application's port the static file handler answers: nothing is published there.
            RawHttp.Response notThere = RawHttp.get(port, "/actuator/health");
            assertThat(notThere.status()).isEqualTo(404);
            assertThat(notThere.body()).contains("Nothing is published at this path.");
            assertThat(RawHttp.get(port, "/actuator").status()).isEqualTo(404);

            // Probes reach the port that serves traffic...
            assertThat(RawHttp.get(port, "/livez").status()).isEqualTo(200);
            assertThat(RawHttp.get(port, "/readyz").status()).isEqualTo(200);
            // ...and the management port serves neither site files nor the server namespace's paths.
            assertThat(RawHttp.get(management, "/livez").status()).isEqualTo(404);
            assertThat(RawHttp.get(management, "/").status()).isEqualTo(404);
        }
    }

    @Test
    void whenManagementPortIsMinusOneThenNoActuatorEndpointIsServed() throws IOException {
        try (ConfigurableApplicationContext context = run(List.of(), "--management.server.port=-1")) {
            int port = port(context, "local.server.port");
            assertThat(context.getEnvironment().getProperty("local.management.port")).isNull();
            RawHttp.Response health = RawHttp.get(port, "/actuator/health");
            assertThat(health.status()).isEqualTo(404);
            assertThat(health.body()).contains("Nothing is published at this path.");
            assertThat(RawHttp.get(port, "/actuator").status()).isEqualTo(404);
            assertThat(RawHttp.get(port, "/").status()).isEqualTo(200);
        }
    }

    static ConfigurableApplicationContext run(List<Class<?>> sources, String... args) {
        List<Class<?>> all = new ArrayList<>(List.of(PierApplication.class));
        all.addAll(sources);
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--pier.event-loops=1", "--pier.worker-threads=2",
                "--spring.main.banner-mode=off"));
        arguments.addAll(List.of(args));
        return new SpringApplicationBuilder(all.toArray(Class<?>[]::new)).run(arguments.toArray(String[]::new));
    }

    static int port(ConfigurableApplicationContext context, String property) {
        return context.getEnvironment().getRequiredProperty(property, Integer.class);
    }

    /** A dependency that is down. Not a {@code @Configuration}, so no component scan picks it up. */
    static class DownIndicator {

        @Bean
        HealthIndicator brokenDependency() {
            return () -> Health.down().withDetail("reason", "test").build();
        }
    }
}
