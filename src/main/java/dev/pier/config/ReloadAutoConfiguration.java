package dev.pier.config;

import dev.pier.server.HttpServer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Reloading the configuration without a restart ({@link SiteReload}): on {@code SIGHUP}, and through
 * the {@code reload} Actuator endpoint when it is exposed.
 */
@AutoConfiguration(after = PierAutoConfiguration.class)
public class ReloadAutoConfiguration {

    @Bean
    SiteReload pierSiteReload(ConfigurableEnvironment environment, SiteAssembler assembler, HttpServer server,
            ObjectProvider<DefaultSslBundleRegistry> bundles, ApplicationContext context) {
        return new SiteReload(environment, assembler, server, bundles.getIfAvailable(), context);
    }

    @Bean
    ReloadSignal pierReloadSignal(SiteReload reload) {
        return new ReloadSignal(reload);
    }

    @Bean
    @ConditionalOnAvailableEndpoint
    ReloadEndpoint pierReloadEndpoint(ObjectProvider<SiteReload> reload) {
        return new ReloadEndpoint(reload::getObject);
    }
}
