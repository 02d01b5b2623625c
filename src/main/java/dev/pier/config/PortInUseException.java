package dev.pier.config;

/** The configured port is taken by another process. */
public class PortInUseException extends RuntimeException {

    private final int port;
    private final String property;

    PortInUseException(int port, String property, Throwable cause) {
        super("Port " + port + " is already in use", cause);
        this.port = port;
        this.property = property;
    }

    public int port() {
        return port;
    }

    /** The setting that chose the port: {@code server.port}, {@code management.server.port} or {@code pier.http-redirect-port}. */
    public String property() {
        return property;
    }
}
