package dev.pier.config;

import dev.pier.files.StaticFileHandler;
import dev.pier.handler.HttpHandler;
import java.util.List;
import org.springframework.context.ApplicationContext;

import java.nio.file.Path;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Pier's auto-configuration on an ephemeral port over a test's site, with small thread counts. */
final class PierContextRunner {

    private PierContextRunner() {
    }

    /**
     * Whether the server runs the static files bare, as the bean Spring built, which it does only
     * when no filter is configured: any filter wraps every handler.
     */
    static boolean servesStaticFilesBare(ApplicationContext context) {
        List<HttpHandler> served = context.getBean(SiteAssembler.class).current().handlers();
        return served.get(served.size() - 1) == context.getBean(StaticFileHandler.class);
    }

    static ApplicationContextRunner over(Path site, int eventLoops) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PierAutoConfiguration.class))
                .withPropertyValues("server.port=0", "pier.document-root=" + site, "pier.event-loops=" + eventLoops, "pier.worker-threads=2");
    }
}
