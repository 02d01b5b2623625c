package dev.pier.config;

import jakarta.validation.Valid;
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
 * @param ssl HTTPS on server.port, with a certificate from a Spring Boot SSL bundle
 */
@Validated
@ConfigurationProperties("server")
public record ServerBindingProperties(
        @DefaultValue("8080") @Min(0) @Max(65535) int port,
        InetAddress address,
        @DefaultValue("graceful") Shutdown shutdown,
        @DefaultValue @Valid Ssl ssl) {

    /**
     * The {@code server.ssl.*} keys Pier honours, with Spring Boot's meaning: the certificate comes
     * from an SSL bundle ({@code spring.ssl.bundle.pem.<name>.*} or {@code spring.ssl.bundle.jks.<name>.*}).
     *
     * @param enabled Whether HTTPS is on when a bundle is named; false serves plain HTTP whatever the bundle
     * @param bundle Name of the SSL bundle that holds the certificate and key; server.port speaks HTTPS when set
     */
    public record Ssl(@DefaultValue("true") boolean enabled, String bundle) {

        /** HTTPS is on: enabled, with a bundle named. */
        public boolean active() {
            return enabled && bundle != null && !bundle.isBlank();
        }
    }
}
