package dev.pier.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a listening socket the system refused, by the system's reason: an address that is not
 * this machine's, a port below 1024 without the privilege, or anything else, each with the setting
 * to change.
 */
class CannotBindFailureAnalyzer extends AbstractFailureAnalyzer<CannotBindException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CannotBindException cause) {
        String where = CannotBindException.describe(cause.address());
        String reason = cause.reason();
        if (reason.contains("Cannot assign requested address")) {
            String host = cause.address().getAddress().getHostAddress();
            return new FailureAnalysis("Pier could not listen on " + where + ": " + host + " is not an address of this machine (" + reason + ").",
                    "Set " + cause.addressProperty() + " to an address of one of this machine's network interfaces (ip -brief address lists them),"
                            + " or remove it to listen on all of them.",
                    cause);
        }
        if (reason.contains("Permission denied") || reason.contains("Access denied")) {
            return new FailureAnalysis("Pier could not listen on " + where + ": ports below 1024 need a privilege this process lacks (" + reason + ").",
                    "Set " + cause.portProperty() + " to 1024 or above (and forward the low port to it), or grant the JVM CAP_NET_BIND_SERVICE"
                            + " (systemd: AmbientCapabilities=CAP_NET_BIND_SERVICE).",
                    cause);
        }
        return new FailureAnalysis("Pier could not listen on " + where + ": " + reason + ".",
                "Check " + cause.addressProperty() + " and " + cause.portProperty() + ".", cause);
    }
}
