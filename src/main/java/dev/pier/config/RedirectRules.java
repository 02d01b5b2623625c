package dev.pier.config;

import dev.pier.rules.InvalidRuleException;
import dev.pier.rules.RedirectFilter;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.Ordered;

/**
 * Redirect rules ({@code pier.redirects}) built into an exchange filter for {@link SiteAssembler},
 * at startup and on each reload; with none, no filter runs at all. Its order,
 * {@link #ORDER}, puts it first among Pier's rules, as nginx's rewrite phase comes before its
 * access checks: a redirected path needs no password.
 */
final class RedirectRules {

    /**
     * Just after the request id ({@code HIGHEST_PRECEDENCE}), so a redirect carries one, and before
     * every access rule (basic auth and the like come later).
     */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    private RedirectRules() {
    }

    /** The redirect rules, or {@code null} when there are none. */
    static RedirectFilter filter(RedirectProperties properties) {
        if (properties.redirects().isEmpty()) {
            return null;
        }
        try {
            return RedirectFilter.of(properties.redirects().stream()
                    .map(redirect -> new RedirectFilter.Rule(redirect.from(), redirect.to(), redirect.host(), redirect.status(), redirect.keepQuery()))
                    .toList());
        } catch (InvalidRuleException e) {
            throw new InvalidConfigurationPropertyValueException(e.property(), e.value(), e.reason());
        }
    }
}
