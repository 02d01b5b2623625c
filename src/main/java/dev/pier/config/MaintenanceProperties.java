package dev.pier.config;

import jakarta.validation.Valid;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Maintenance mode under {@code pier.maintenance}, a record of its own beside {@link PierProperties},
 * binding the same prefix. Read by {@link MaintenanceAutoConfiguration}.
 *
 * @param maintenance Maintenance mode: 503 with Retry-After for everything but probes and Actuator
 */
@Validated
@ConfigurationProperties("pier")
public record MaintenanceProperties(@DefaultValue @Valid Maintenance maintenance) {

    /**
     * @param enabled Whether the site starts in maintenance: every request but the probes and Actuator answers 503; the
     *     maintenance Actuator endpoint switches it at run time
     * @param retryAfter Sent as whole seconds (rounded up) in Retry-After on each 503
     * @param page A page of the document root served as the 503's body while it exists, e.g. /maintenance.html; Pier's
     *     own 503 page otherwise
     */
    public record Maintenance(@DefaultValue("false") boolean enabled, @DefaultValue("5m") @InRange(min = "0s", max = "106751d") Duration retryAfter,
            String page) {
    }
}
