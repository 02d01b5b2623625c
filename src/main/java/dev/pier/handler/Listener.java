package dev.pier.handler;

/** Which listening socket serves a handler. */
public enum Listener {

    /** The application's port, {@code server.port}. */
    APPLICATION,

    /**
     * The management port, {@code management.server.port}, when it differs from the application's;
     * otherwise the application's port.
     */
    MANAGEMENT
}
