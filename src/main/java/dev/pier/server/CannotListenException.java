package dev.pier.server;

import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * A listening socket could not be bound: which listener, on which address, and the system's
 * reason ("Address already in use", "Cannot assign requested address", "Permission denied"…),
 * so that whoever configured it can be told which setting to change.
 */
public final class CannotListenException extends BindException {

    /** The listening sockets a server may open. */
    public enum Socket {
        /** The application's port. */
        APPLICATION,
        /** The management port, when it has its own. */
        MANAGEMENT,
        /** The plain-HTTP port that redirects to HTTPS. */
        HTTP_REDIRECT
    }

    private final Socket socket;
    private final transient InetSocketAddress address;
    private final String reason;

    CannotListenException(Socket socket, InetSocketAddress address, BindException cause) {
        super(cause.getMessage() + " (" + socket.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " listener on " + address + ")");
        this.socket = socket;
        this.address = address;
        this.reason = String.valueOf(cause.getMessage());
        initCause(cause);
    }

    public Socket socket() {
        return socket;
    }

    /** The address and port as configured: a wildcard address when none was set, port 0 for any free port. */
    public InetSocketAddress address() {
        return address;
    }

    /** The system's reason, e.g. "Address already in use". */
    public String reason() {
        return reason;
    }

    /** Whether another socket holds the port. */
    public boolean addressInUse() {
        return reason.contains("in use");
    }
}
