package dev.pier.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.InetAddress;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The standard {@code management.server.*} keys, with Spring Boot's meaning: a port other than
 * {@code server.port} moves Actuator to a second listener of Pier (same event loops); {@code -1}
 * turns Actuator's web endpoints off.
 *
 * @param port Port for Actuator's endpoints; unset means the application's port, -1 means none
 * @param address Network address for the management port; all interfaces when unset
 */
@Validated
@ConfigurationProperties("management.server")
public record ManagementBindingProperties(@Min(-1) @Max(65535) Integer port, InetAddress address) {

    /**
     * Whether management endpoints get a listener of their own. Port 0 always does, even when
     * {@code server.port} is 0 too: each asks for a free port of its own, as Boot's
     * {@code ManagementPortType} decides, which the Actuator bridge relies on for its namespaces.
     */
    boolean separateFrom(ServerBindingProperties server) {
        return port != null && (port == 0 || port > 0 && port != server.port());
    }

    boolean disabled() {
        return port != null && port < 0;
    }
}
