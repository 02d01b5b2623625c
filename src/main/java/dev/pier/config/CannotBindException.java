package dev.pier.config;

import dev.pier.server.CannotListenException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** A listening socket could not be bound for a reason other than a busy port: an address not on this machine, a privileged port… */
public class CannotBindException extends RuntimeException {

    private final CannotListenException refusal;
    private final String addressProperty;
    private final String portProperty;

    CannotBindException(CannotListenException refusal, String addressProperty, String portProperty) {
        super("Cannot listen on " + describe(refusal.address()) + ": " + refusal.reason(), refusal);
        this.refusal = refusal;
        this.addressProperty = addressProperty;
        this.portProperty = portProperty;
    }

    /** The address and port as configured. */
    public InetSocketAddress address() {
        return refusal.address();
    }

    /** The system's reason, e.g. "Cannot assign requested address". */
    public String reason() {
        return refusal.reason();
    }

    /** {@code server.address} or {@code management.server.address}. */
    public String addressProperty() {
        return addressProperty;
    }

    /** {@code server.port}, {@code management.server.port} or {@code pier.http-redirect-port}. */
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
