package dev.pier.config;

import java.nio.file.Path;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Pier's auto-configuration on an ephemeral port over a test's site, with small thread counts. */
final class PierContextRunner {

    private PierContextRunner() {
    }

    static ApplicationContextRunner over(Path site, int eventLoops) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PierAutoConfiguration.class))
                .withPropertyValues("server.port=0", "pier.document-root=" + site, "pier.event-loops=" + eventLoops, "pier.worker-threads=2");
    }
}
