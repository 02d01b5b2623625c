package dev.pier.config;

/** The values of {@code server.shutdown}, as Spring Boot's own servers take them. */
public enum Shutdown {

    /** Stop taking connections and let requests in flight finish, up to {@code spring.lifecycle.timeout-per-shutdown-phase}. */
    GRACEFUL,

    /** Close every connection at once. */
    IMMEDIATE
}
