package dev.pier.server;

/** How a graceful shutdown ended, as Spring Boot's web servers report it. */
public enum GracefulShutdownResult {

    /** Every connection had finished its requests. */
    IDLE,

    /** The wait was cut short while requests were still active. */
    REQUESTS_ACTIVE,

    /** There was no wait: the server stopped at once. */
    IMMEDIATE
}
