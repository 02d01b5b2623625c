package dev.pier.config;

import org.springframework.boot.autoconfigure.ssl.SslProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The settings a reload may change, bound together: the rules, the hosts and the static files'
 * settings, and the SSL bundles' certificates. Bound from an environment through a short-lived
 * context of their own, so that conversion, defaults and validation are Boot's own, the same at
 * startup and on every reload; a mistake fails the binding with the message startup would give.
 *
 * @param server only read, for whether the application port speaks HTTPS (basic auth asks)
 */
record SiteProperties(PierProperties pier, ServerBindingProperties server,
        MaintenanceProperties maintenance, HeadersProperties headers, RedirectProperties redirects, RewriteProperties rewrites,
        RateLimitProperties rateLimits, AccessProperties access, BasicAuthProperties basicAuth, HostsProperties hosts, SslProperties ssl) {

    static SiteProperties bind(ConfigurableEnvironment environment) {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.setEnvironment(environment);
            context.register(Binding.class);
            context.refresh();
            return new SiteProperties(context.getBean(PierProperties.class), context.getBean(ServerBindingProperties.class),
                    context.getBean(MaintenanceProperties.class), context.getBean(HeadersProperties.class),
                    context.getBean(RedirectProperties.class), context.getBean(RewriteProperties.class), context.getBean(RateLimitProperties.class),
                    context.getBean(AccessProperties.class), context.getBean(BasicAuthProperties.class), context.getBean(HostsProperties.class),
                    context.getBean(SslProperties.class));
        }
    }

    @EnableConfigurationProperties({PierProperties.class, ServerBindingProperties.class, MaintenanceProperties.class,
            HeadersProperties.class, RedirectProperties.class, RewriteProperties.class, RateLimitProperties.class, AccessProperties.class,
            BasicAuthProperties.class, HostsProperties.class, SslProperties.class})
    static class Binding {
    }
}
