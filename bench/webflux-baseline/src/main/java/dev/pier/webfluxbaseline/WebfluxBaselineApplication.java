package dev.pier.webfluxbaseline;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** GET /api/hello/{name} on Spring WebFlux and Reactor Netty, the starter's defaults: a Mono of a record written as JSON by Jackson. */
@SpringBootApplication
@RestController
public class WebfluxBaselineApplication {

    record Greeting(String message) {
    }

    @GetMapping("/api/hello/{name}")
    Mono<Greeting> hello(@PathVariable String name) {
        return Mono.just(new Greeting("Hello, " + name));
    }

    public static void main(String[] args) {
        SpringApplication.run(WebfluxBaselineApplication.class, args);
    }
}
