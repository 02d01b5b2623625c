package dev.pier.config;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.ssl.SslProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The settings a reload may change, bound together: the rules, the hosts and the static files'
 * settings, and the SSL bundles' certificates. At startup they are the application context's own
 * beans; a reload binds them from the files read again through a short-lived context of their
 * own, so that conversion, defaults and validation are Boot's own there too, and a mistake fails
 * the binding with the message startup would give.
 *
 * @param server only read, for whether the application port speaks HTTPS (basic auth asks)
 */
record SiteProperties(PierProperties pier, ServerBindingProperties server,
        MaintenanceProperties maintenance, HeadersProperties headers, RedirectProperties redirects, RewriteProperties rewrites,
        RateLimitProperties rateLimits, AccessProperties access, BasicAuthProperties basicAuth, HostsProperties hosts, SslProperties ssl) {

    /** The records bound afresh from this environment (about 0.1 s: a context and its validator). */
    static SiteProperties bind(ConfigurableEnvironment environment) {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.setEnvironment(environment);
            context.register(Binding.class);
            context.refresh();
            return of(context);
        }
    }

    /**
     * The records these beans hold: the application context's, bound at startup, or a reload's.
     * Without Boot's SSL auto-configuration there are no bundles, and none to read again.
     */
    static SiteProperties of(ListableBeanFactory beans) {
        return new SiteProperties(beans.getBean(PierProperties.class), beans.getBean(ServerBindingProperties.class),
                beans.getBean(MaintenanceProperties.class), beans.getBean(HeadersProperties.class),
                beans.getBean(RedirectProperties.class), beans.getBean(RewriteProperties.class), beans.getBean(RateLimitProperties.class),
                beans.getBean(AccessProperties.class), beans.getBean(BasicAuthProperties.class), beans.getBean(HostsProperties.class),
                beans.getBeanProvider(SslProperties.class).getIfAvailable(SslProperties::new));
    }

    @EnableConfigurationProperties({PierProperties.class, ServerBindingProperties.class, MaintenanceProperties.class,
            HeadersProperties.class, RedirectProperties.class, RewriteProperties.class, RateLimitProperties.class, AccessProperties.class,
            BasicAuthProperties.class, HostsProperties.class, SslProperties.class})
    static class Binding {
    }
}
