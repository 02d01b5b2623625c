package dev.pier.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.InetAddress;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The standard {@code server.*} keys Pier honours, with the meaning Spring Boot's own servers give
 * them. Bound here because Boot's {@code ServerProperties} lives in a web-server module Pier does
 * not use.
 *
 * @param port Port to listen on; 0 picks a free one, published as local.server.port
 * @param address Network address to bind; all interfaces when unset
 * @param shutdown Whether to drain requests in flight at shutdown (graceful) or close at once (immediate)
 */
@Validated
@ConfigurationProperties("server")
public record ServerBindingProperties(
        @DefaultValue("8080") @Min(0) @Max(65535) int port,
        InetAddress address,
        @DefaultValue("graceful") Shutdown shutdown) {
}
