package dev.pier;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class PierApplication {

    public static void main(String[] args) {
        SpringApplication.run(PierApplication.class, args);
    }
}
