package dev.pier.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
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
 * @param tls How TLS handshakes are computed and resumed
 */
@Validated
@ConfigurationProperties("pier")
public record HttpsProperties(
        @Pattern(regexp = "(?i)([^;\\p{Cntrl}]*;\\s*)*max-age\\s*=\\s*\"?\\d+\"?\\s*(;[^\\p{Cntrl}]*)?",
                message = "must hold max-age=<seconds>, optionally with includeSubDomains and preload, e.g. max-age=31536000; includeSubDomains")
        String hsts,
        @Min(0) @Max(65535) Integer httpRedirectPort,
        @DefaultValue @NotNull @Valid Tls tls) {

    /**
     * @param nativeCrypto Whether TLS computes with faster providers installed ahead of the JDK's for the whole JVM:
     *     Amazon Corretto Crypto Provider (AWS-LC, native code) for signatures, P-256 and AES-GCM where it loads (Linux on
     *     x86-64), and Bouncy Castle's X25519; false keeps the JDK's own providers
     * @param sessionTimeout How long a client may resume its TLS session and skip the certificate and its signature: the
     *     lifetime TLS 1.3 tickets announce, and how long TLS 1.2 sessions stay cached for resumption by id
     * @param sessionCacheSize TLS sessions kept for resumption by id (TLS 1.2 clients without tickets); the least recently
     *     used go first. TLS 1.3 tickets are kept by the clients, not here
     */
    public record Tls(
            @DefaultValue("true") boolean nativeCrypto,
            @DefaultValue("1d") @NotNull @InRange(min = "1s", max = "7d") Duration sessionTimeout,
            @DefaultValue("20000") @Min(1) @Max(10_000_000) int sessionCacheSize) {
    }
}
