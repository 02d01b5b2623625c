package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import dev.pier.PierApplication;
import dev.pier.RawHttp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class PierDefaultPropertiesTests {

    @Test
    void whenNothingIsConfiguredThenProbesAndTheirAdditionalPathsAreOn() {
        StandardEnvironment environment = new StandardEnvironment();

        new PierDefaultProperties().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
        assertThat(environment.getProperty("management.endpoint.health.probes.add-additional-paths")).isEqualTo("true");
        assertThat(environment.getProperty("management.endpoints.web.exposure.include")).isEqualTo("health,info");
    }

    @Test
    void whenAnySourceSetsAKeyThenItWinsOverTheDefault() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of("management.endpoint.health.probes.enabled", "false")));

        new PierDefaultProperties().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("false");
    }

    @Test
    void whenNoApplicationYmlIsFoundThenTheProbesStillAnswerOnTheApplicationPort() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PierApplication.class)
                .run("--spring.config.location=optional:file:/nonexistent/", "--server.port=0")) {
            int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);

            assertThat(RawHttp.get(port, "/livez").status()).isEqualTo(200);
            assertThat(RawHttp.get(port, "/readyz").status()).isEqualTo(200);
            assertThat(RawHttp.get(port, "/actuator/health/readiness").status()).isEqualTo(200);
        }
    }
}
