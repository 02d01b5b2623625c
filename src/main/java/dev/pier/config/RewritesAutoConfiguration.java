package dev.pier.config;

import dev.pier.rules.InvalidRuleException;
import dev.pier.rules.RewriteFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.annotation.Order;
import org.springframework.core.type.AnnotatedTypeMetadata;

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

    @Bean
    @Conditional(OnRewrites.class)
    @Order(ORDER)
    RewriteFilter pierRewriteFilter(RewriteProperties properties) {
        try {
            return RewriteFilter.of(properties.rewrites().stream()
                    .map(rewrite -> new RewriteFilter.Rule(rewrite.from(), rewrite.to()))
                    .toList());
        } catch (InvalidRuleException e) {
            throw new InvalidConfigurationPropertyValueException(e.property(), e.value(), e.reason());
        }
    }

    /** Whether any {@code pier.rewrites} key is set, in any property source. */
    static final class OnRewrites extends SpringBootCondition {

        private static final ConfigurationPropertyName REWRITES = ConfigurationPropertyName.of("pier.rewrites");

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            for (ConfigurationPropertySource source : ConfigurationPropertySources.get(context.getEnvironment())) {
                if (source.containsDescendantOf(REWRITES) == ConfigurationPropertyState.PRESENT) {
                    return ConditionOutcome.match("pier.rewrites is set");
                }
            }
            return ConditionOutcome.noMatch("no pier.rewrites");
        }
    }
}
