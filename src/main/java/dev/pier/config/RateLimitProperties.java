package dev.pier.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Request rate limits per client address and path pattern, under {@code pier.rate-limits}, as
 * nginx's {@code limit_req} with {@code nodelay}. Checked by {@link ClientAccessRules}.
 *
 * @param rateLimits Token-bucket limits per client address: each entry has paths (Ant-style patterns, e.g. /api/**),
 *     rate (e.g. 5/s or 30/m) and burst (default 0); requests beyond the bucket get 429 with Retry-After; the first
 *     entry covering a path applies; none when unset
 * @param rateLimitClients Client addresses each rate limit remembers, least recently seen forgotten first; a forgotten
 *     client starts again with a full bucket
 */
@ConfigurationProperties("pier")
public record RateLimitProperties(List<RateLimit> rateLimits, @DefaultValue("100000") int rateLimitClients) {

    public RateLimitProperties {
        rateLimits = rateLimits == null ? List.of() : rateLimits;
    }

    /**
     * @param paths Ant-style path patterns the limit applies to, e.g. /api/**
     * @param rate Requests per second or per minute each client address may make, e.g. 5/s or 30/m (fractions allowed)
     * @param burst Requests a client may make at once beyond one second's worth of the rate
     */
    public record RateLimit(List<String> paths, String rate, @DefaultValue("0") int burst) {
    }
}
