package dev.pier.config;

import dev.pier.rules.InvalidRuleException;
import dev.pier.rules.RewriteFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Internal rewrites ({@code pier.rewrites}) as an exchange filter around every handler. Only when
 * some rule is configured: with none, no filter runs at all. Its order, {@link #ORDER}, is after
 * the redirects (a path redirected is not rewritten first, as nginx's {@code return} ends its
 * rewrite phase) and before every access rule, which then sees the path that will be served.
 */
@AutoConfiguration(before = PierAutoConfiguration.class)
@EnableConfigurationProperties(RewriteProperties.class)
public class RewritesAutoConfiguration {

    /** Just after the redirects, before basic auth ({@code RedirectsAutoConfiguration.ORDER + 100}). */
    public static final int ORDER = RedirectsAutoConfiguration.ORDER + 10;

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
