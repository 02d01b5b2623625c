package dev.pier.config;

/** The configured port is taken by another process. */
public class PortInUseException extends RuntimeException {

    private final int port;

    PortInUseException(int port, Throwable cause) {
        super("Port " + port + " is already in use", cause);
        this.port = port;
    }

    public int port() {
        return port;
    }
}
