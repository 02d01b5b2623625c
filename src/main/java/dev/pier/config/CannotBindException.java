package dev.pier.config;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** A listening socket could not be bound for a reason other than a busy port: an address not on this machine, a privileged port… */
public class CannotBindException extends RuntimeException {

    private final transient InetSocketAddress address;
    private final String reason;
    private final String addressProperty;
    private final String portProperty;

    CannotBindException(InetSocketAddress address, String reason, String addressProperty, String portProperty, Throwable cause) {
        super("Cannot listen on " + describe(address) + ": " + reason, cause);
        this.address = address;
        this.reason = reason;
        this.addressProperty = addressProperty;
        this.portProperty = portProperty;
    }

    /** The address and port as configured. */
    public InetSocketAddress address() {
        return address;
    }

    /** The system's reason, e.g. "Cannot assign requested address". */
    public String reason() {
        return reason;
    }

    /** {@code server.address} or {@code management.server.address}. */
    public String addressProperty() {
        return addressProperty;
    }

    /** {@code server.port} or {@code management.server.port}. */
    public String portProperty() {
        return portProperty;
    }

    /** {@code 192.0.2.1:8080}, {@code [::1]:8080}, or {@code port 80} when bound to all interfaces. */
    static String describe(InetSocketAddress address) {
        if (address.getAddress() == null || address.getAddress().isAnyLocalAddress()) {
            return "port " + address.getPort();
        }
        String host = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
