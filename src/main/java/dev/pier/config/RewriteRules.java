package dev.pier.config;

import dev.pier.rules.InvalidRuleException;
import dev.pier.rules.RewriteFilter;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Internal rewrites ({@code pier.rewrites}) built into an exchange filter for {@link SiteAssembler},
 * at startup and on each reload; with none, no filter runs at all. Its order, {@link #ORDER}, is after
 * the redirects (a path redirected is not rewritten first, as nginx's {@code return} ends its
 * rewrite phase) and before every access rule, which then sees the path that will be served.
 */
final class RewriteRules {

    /** Just after the redirects, before basic auth ({@code RedirectRules.ORDER + 100}). */
    public static final int ORDER = RedirectRules.ORDER + 10;

    private RewriteRules() {
    }

    /** The rewrite rules, or {@code null} when there are none. */
    static RewriteFilter filter(RewriteProperties properties) {
        if (properties.rewrites().isEmpty()) {
            return null;
        }
        try {
            return RewriteFilter.of(properties.rewrites().stream()
                    .map(rewrite -> new RewriteFilter.Rule(rewrite.from(), rewrite.to()))
                    .toList());
        } catch (InvalidRuleException e) {
            throw new InvalidConfigurationPropertyValueException(e.property(), e.value(), e.reason());
        }
    }
}
