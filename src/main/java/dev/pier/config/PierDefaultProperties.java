package dev.pier.config;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Defaults a web server owes its orchestrator, carried in the jar so that they hold wherever it
 * runs, with or without the commented {@code application.yml} beside it: liveness and readiness
 * probes, {@code /livez} and {@code /readyz} on the application's port, and the {@code info}
 * endpoint beside {@code health}. Lowest precedence: any configuration overrides them.
 */
class PierDefaultProperties implements EnvironmentPostProcessor {

    static final Map<String, Object> DEFAULTS = Map.of(
            "management.endpoint.health.probes.enabled", "true",
            "management.endpoint.health.probes.add-additional-paths", "true",
            "management.endpoints.web.exposure.include", "health,info");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        DefaultPropertiesPropertySource.addOrMerge(DEFAULTS, environment.getPropertySources());
    }
}
