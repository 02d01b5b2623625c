package dev.pier.config;

import dev.pier.rules.Maintenance;
import java.time.Duration;
import java.time.Instant;
import lombok.extern.slf4j.Slf4j;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/maintenance}: {@code GET} tells whether maintenance mode is on and since when;
 * {@code POST {"enabled": true}} turns it on, {@code false} off, at once and without a restart,
 * for an operator or a Kubernetes job. Exposed only when listed in
 * {@code management.endpoints.web.exposure.include}; anyone who reaches it can take the site down,
 * so it belongs on the management port or behind basic auth.
 */
@Slf4j
@Endpoint(id = "maintenance")
public class MaintenanceEndpoint {

    /**
     * @param enabled whether requests other than probes and Actuator answer 503
     * @param since when it was last switched, at startup or through this endpoint
     * @param retryAfterSeconds what {@code Retry-After} says
     */
    public record Status(boolean enabled, Instant since, long retryAfterSeconds) {
    }

    private final Maintenance maintenance;
    private final long retryAfterSeconds;

    MaintenanceEndpoint(Maintenance maintenance, Duration retryAfter) {
        this.maintenance = maintenance;
        this.retryAfterSeconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
    }

    @ReadOperation
    public Status status() {
        return status(maintenance.state());
    }

    @WriteOperation
    public Status switchTo(boolean enabled) {
        boolean was = maintenance.isEnabled();
        Maintenance.State state = maintenance.set(enabled);
        if (was != enabled) {
            log.info(enabled ? "Maintenance mode on: every request but probes and Actuator answers 503 with Retry-After {}s"
                    : "Maintenance mode off: serving again{}", enabled ? retryAfterSeconds : "");
        }
        return status(state);
    }

    private Status status(Maintenance.State state) {
        return new Status(state.enabled(), state.since(), retryAfterSeconds);
    }
}
