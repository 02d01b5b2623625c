package dev.pier.config;

import dev.pier.handler.AddressRange;
import dev.pier.handler.TrustedProxies;
import dev.pier.http.PathPattern;
import dev.pier.rules.AccessFilter;
import dev.pier.rules.ClientAddressFilter;
import dev.pier.rules.RateLimitFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.Ordered;

/**
 * The client's address and what goes by it, each built into an exchange filter for
 * {@link SiteAssembler} only when configured: {@code pier.trusted-proxies} ({@link ClientAddressFilter}),
 * {@code pier.rate-limits} ({@link RateLimitFilter}, counted in {@code pier.ratelimit.rejected})
 * and {@code pier.access} ({@link AccessFilter}). In nginx's phase order: the real address first
 * (its post-read phase), redirects, then limits (pre-access), then allow/deny (access), then basic
 * auth. Each entry is checked here, at startup and on each reload, with one sentence per mistake.
 */
final class ClientAccessRules {

    /** Just after the request id, before anything that reads the client's address. */
    static final int CLIENT_ADDRESS_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    /** After redirects, before allow/deny: nginx's pre-access phase comes before its access phase. */
    static final int RATE_LIMIT_ORDER = RedirectRules.ORDER + 25;

    /** After redirects and rate limits, before basic auth. */
    static final int ACCESS_ORDER = RedirectRules.ORDER + 50;

    private static final String ALL = "all";

    private ClientAccessRules() {
    }

    /** The client address behind the trusted proxies, or {@code null} when none is trusted. */
    static ClientAddressFilter clientAddressFilter(ClientAddressProperties properties) {
        return properties.trustedProxies().isEmpty() ? null : new ClientAddressFilter(trustedProxies(properties));
    }

    /** The allow/deny rules, or {@code null} when there are none. */
    static AccessFilter accessFilter(AccessProperties properties) {
        if (properties.access().isEmpty()) {
            return null;
        }
        List<AccessFilter.Rule> rules = new ArrayList<>();
        List<AccessProperties.Access> entries = properties.access();
        for (int i = 0; i < entries.size(); i++) {
            String prefix = "pier.access[" + i + "].";
            AccessProperties.Access entry = entries.get(i);
            List<PathPattern> paths = paths(prefix, entry.paths(), "An access rule needs at least one path pattern, such as /admin/**.");
            if (entry.allow().isEmpty() && entry.deny().isEmpty()) {
                throw new InvalidConfigurationPropertyValueException(prefix + "allow", null,
                        "An access rule needs an allow or a deny list of addresses or CIDR blocks, such as 10.0.0.0/8.");
            }
            rules.add(new AccessFilter.Rule(paths, ranges(prefix + "allow", entry.allow()), ranges(prefix + "deny", entry.deny())));
        }
        return new AccessFilter(rules);
    }

    /**
     * The token buckets, or {@code null} without rate limits.
     *
     * @param clock {@link RateLimitFilter.NanoClock#SYSTEM} but in tests
     */
    static RateLimitFilter rateLimitFilter(RateLimitProperties properties, RateLimitFilter.NanoClock clock, LongAdder rejected) {
        if (properties.rateLimits().isEmpty()) {
            return null;
        }
        if (properties.rateLimitClients() < 1) {
            throw new InvalidConfigurationPropertyValueException("pier.rate-limit-clients", properties.rateLimitClients(),
                    "Rate limits must remember at least one client address; the default is 100000.");
        }
        List<RateLimitFilter.Limit> limits = new ArrayList<>();
        List<RateLimitProperties.RateLimit> entries = properties.rateLimits();
        for (int i = 0; i < entries.size(); i++) {
            String prefix = "pier.rate-limits[" + i + "].";
            RateLimitProperties.RateLimit entry = entries.get(i);
            List<PathPattern> paths = paths(prefix, entry.paths(), "A rate limit needs at least one path pattern, such as /api/**.");
            RateLimitFilter.Rate rate;
            try {
                rate = RateLimitFilter.Rate.parse(entry.rate());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException(prefix + "rate", entry.rate(), e.getMessage() + ".");
            }
            if (entry.burst() < 0) {
                throw new InvalidConfigurationPropertyValueException(prefix + "burst", entry.burst(),
                        "A burst is the number of requests allowed at once beyond the rate: 0 or more.");
            }
            limits.add(new RateLimitFilter.Limit(paths, rate, entry.burst()));
        }
        return new RateLimitFilter(limits, properties.rateLimitClients(), clock, rejected);
    }

    /** The trusted proxies, or a startup failure naming the entry that is not an address or CIDR block. */
    static TrustedProxies trustedProxies(ClientAddressProperties properties) {
        return new TrustedProxies(ranges("pier.trusted-proxies", properties.trustedProxies()));
    }

    private static List<PathPattern> paths(String prefix, List<String> paths, String whenNone) {
        if (paths == null || paths.isEmpty()) {
            throw new InvalidConfigurationPropertyValueException(prefix + "paths", null, whenNone);
        }
        List<PathPattern> patterns = new ArrayList<>();
        for (String path : paths) {
            try {
                patterns.add(PathPattern.compile(path));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException(prefix + "paths", path, e.getMessage() + ".");
            }
        }
        return patterns;
    }

    /** Each entry an address or CIDR block; {@code all} is every IPv4 and IPv6 address, as in nginx. */
    static List<AddressRange> ranges(String property, List<String> entries) {
        List<AddressRange> ranges = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            if (entry != null && entry.strip().equalsIgnoreCase(ALL)) {
                ranges.add(AddressRange.parse("0.0.0.0/0"));
                ranges.add(AddressRange.parse("::/0"));
                continue;
            }
            try {
                ranges.add(AddressRange.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException(property + "[" + i + "]", entry, e.getMessage() + ".");
            }
        }
        return ranges;
    }
}
