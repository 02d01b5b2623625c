package dev.pier.server;

import dev.pier.handler.Listener;
import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * A listening socket could not be bound: which listener, on which address, and the system's
 * reason ("Address already in use", "Cannot assign requested address", "Permission denied"…),
 * so that whoever configured it can be told which setting to change.
 */
public final class CannotListenException extends BindException {

    private final Listener listener;
    private final transient InetSocketAddress address;
    private final String reason;

    CannotListenException(Listener listener, InetSocketAddress address, BindException cause) {
        super(cause.getMessage() + " (" + listener.name().toLowerCase(java.util.Locale.ROOT) + " listener on " + address + ")");
        this.listener = listener;
        this.address = address;
        this.reason = String.valueOf(cause.getMessage());
        initCause(cause);
    }

    public Listener listener() {
        return listener;
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
