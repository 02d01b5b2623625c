package dev.pier.bench.hello;

import dev.pier.handler.HttpHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * Adds the hello handler to Pier as a library would, without touching Pier's own classes: listed in
 * META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports beside it, found
 * once its folder is on the class path (PropertiesLauncher's {@code loader.path}).
 * {@code --hello.blocking=true} runs it on Pier's workers; false (default) on the event loop.
 */
@AutoConfiguration
public class HelloAutoConfiguration {

    @Bean
    HttpHandler helloHandler(JsonMapper json, @Value("${hello.blocking:false}") boolean blocking) {
        return new HelloHandler(json, blocking);
    }
}
