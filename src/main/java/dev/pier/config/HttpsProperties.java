package dev.pier.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Pier's own HTTPS keys under {@code pier.*}; the certificate itself comes from Spring Boot's SSL
 * bundles, named by {@code server.ssl.bundle} ({@link ServerBindingProperties.Ssl}). A record of
 * its own beside {@link PierProperties}, binding the same prefix.
 *
 * @param hsts Value of the Strict-Transport-Security header sent with every HTTPS response, e.g. max-age=31536000;
 *     includeSubDomains; none when unset. Never sent over plain HTTP, where browsers ignore it
 * @param httpRedirectPort Plain-HTTP port, on server.address and the same event loops, whose every request is
 *     redirected (301) to the same path and query over HTTPS; needs server.ssl.bundle; 0 picks a free one, published
 *     as local.http-redirect.port; none when unset
 */
@Validated
@ConfigurationProperties("pier")
public record HttpsProperties(
        @Pattern(regexp = "(?i)([^;\\p{Cntrl}]*;\\s*)*max-age\\s*=\\s*\"?\\d+\"?\\s*(;[^\\p{Cntrl}]*)?",
                message = "must hold max-age=<seconds>, optionally with includeSubDomains and preload, e.g. max-age=31536000; includeSubDomains")
        String hsts,
        @Min(0) @Max(65535) Integer httpRedirectPort) {
}
