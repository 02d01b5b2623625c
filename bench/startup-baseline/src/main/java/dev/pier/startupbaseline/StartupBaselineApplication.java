package dev.pier.startupbaseline;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Nothing of its own: Spring Boot's web starter (Tomcat) and Actuator, as generated. */
@SpringBootApplication
public class StartupBaselineApplication {

    public static void main(String[] args) {
        SpringApplication.run(StartupBaselineApplication.class, args);
    }
}
