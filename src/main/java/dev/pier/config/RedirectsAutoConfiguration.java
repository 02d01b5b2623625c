package dev.pier.config;

import dev.pier.rules.InvalidRuleException;
import dev.pier.rules.RedirectFilter;
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
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Redirect rules ({@code pier.redirects}) as an exchange filter around every handler. Only when
 * some rule is configured: with none, no filter runs at all. Its order,
 * {@link #ORDER}, puts it first among Pier's rules, as nginx's rewrite phase comes before its
 * access checks: a redirected path needs no password.
 */
@AutoConfiguration(before = PierAutoConfiguration.class)
@EnableConfigurationProperties(RedirectProperties.class)
public class RedirectsAutoConfiguration {

    /**
     * Just after the request id ({@code HIGHEST_PRECEDENCE}), so a redirect carries one, and before
     * every access rule (basic auth and the like come later).
     */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    @Bean
    @Conditional(OnRedirects.class)
    @Order(ORDER)
    RedirectFilter pierRedirectFilter(RedirectProperties properties) {
        try {
            return RedirectFilter.of(properties.redirects().stream()
                    .map(redirect -> new RedirectFilter.Rule(redirect.from(), redirect.to(), redirect.host(), redirect.status(), redirect.keepQuery()))
                    .toList());
        } catch (InvalidRuleException e) {
            throw new InvalidConfigurationPropertyValueException(e.property(), e.value(), e.reason());
        }
    }

    /** Whether any {@code pier.redirects} key is set, in any property source. */
    static final class OnRedirects extends SpringBootCondition {

        private static final ConfigurationPropertyName REDIRECTS = ConfigurationPropertyName.of("pier.redirects");

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            for (ConfigurationPropertySource source : ConfigurationPropertySources.get(context.getEnvironment())) {
                if (source.containsDescendantOf(REDIRECTS) == ConfigurationPropertyState.PRESENT) {
                    return ConditionOutcome.match("pier.redirects is set");
                }
            }
            return ConditionOutcome.noMatch("no pier.redirects");
        }
    }
}
