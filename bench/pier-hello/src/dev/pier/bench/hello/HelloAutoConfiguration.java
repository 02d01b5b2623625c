package dev.pier.bench.hello;

import dev.pier.handler.HttpHandler;
import dev.pier.route.Response;
import dev.pier.route.Routes;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * Adds the hello endpoint to Pier as a library would, without touching Pier's own classes: listed in
 * META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports beside it, found
 * once its folder is on the class path (PropertiesLauncher's {@code loader.path}).
 * {@code --hello.style=handler} (default) adds an {@link HttpHandler}, {@code routes} a {@link Routes}
 * bean; {@code --hello.blocking=true} runs either on Pier's workers, false (default) on the event loop.
 */
@AutoConfiguration
public class HelloAutoConfiguration {

    @Bean
    @ConditionalOnProperty(name = "hello.style", havingValue = "handler", matchIfMissing = true)
    HttpHandler helloHandler(JsonMapper json, @Value("${hello.blocking:false}") boolean blocking) {
        return new HelloHandler(json, blocking);
    }

    /** The same endpoint as a route: path variable, JSON by the Router's mapper, template as the metric's uri. */
    @Bean
    @ConditionalOnProperty(name = "hello.style", havingValue = "routes")
    Routes helloRoutes(@Value("${hello.blocking:false}") boolean blocking) {
        Routes.Builder routes = Routes.builder();
        if (!blocking) {
            routes.onEventLoop();
        }
        return routes.get("/api/hello/{name}", request -> Response.ok(new HelloHandler.Greeting("Hello, " + request.pathVariable("name"))))
                .build();
    }
}
