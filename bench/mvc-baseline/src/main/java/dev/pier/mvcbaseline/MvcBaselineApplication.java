package dev.pier.mvcbaseline;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** GET /api/hello/{name} on Spring MVC and Tomcat, the starter's defaults: a record written as JSON by Jackson. */
@SpringBootApplication
@RestController
public class MvcBaselineApplication {

    record Greeting(String message) {
    }

    @GetMapping("/api/hello/{name}")
    Greeting hello(@PathVariable String name) {
        return new Greeting("Hello, " + name);
    }

    public static void main(String[] args) {
        SpringApplication.run(MvcBaselineApplication.class, args);
    }
}
