package dev.pier.config;

import dev.pier.files.DocRoot;
import dev.pier.files.ErrorPages;
import dev.pier.files.Resolution;
import dev.pier.handler.ErrorResponses;
import dev.pier.http.PathPattern;
import dev.pier.rules.Maintenance;
import dev.pier.rules.MaintenanceFilter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import lombok.extern.slf4j.Slf4j;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Maintenance mode ({@code pier.maintenance}): the {@link Maintenance} switch, the
 * {@link MaintenanceFilter} around every handler, and the {@code maintenance} Actuator endpoint
 * that flips the switch at run time. The filter runs while the file turns maintenance on or the
 * endpoint is exposed (which may turn it on); otherwise no filter runs at all.
 *
 * <p>The exempt paths are read from Actuator's own settings, so they follow a changed base path or
 * probe path: the base path and everything under it ({@code /actuator/**}), each exposed endpoint's
 * path (what a separate management port serves when its base path is {@code /}), and the health
 * groups' additional paths on either port ({@code /livez}, {@code /readyz}). A filter sees no
 * port, so these paths are exempt on the application's port too, where they reach Actuator or, if
 * Actuator lives elsewhere, a 404.
 */
@Slf4j
@AutoConfiguration(before = PierAutoConfiguration.class)
@EnableConfigurationProperties(MaintenanceProperties.class)
public class MaintenanceAutoConfiguration {

    /** After the request id, before redirects and every other rule: maintenance answers everything. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 50;

    /** The switch, always there: a reload or the endpoint may turn it on after startup. */
    @Bean
    Maintenance pierMaintenance(MaintenanceProperties properties) {
        return new Maintenance(properties.maintenance().enabled());
    }

    /**
     * The filter, or {@code null} while it is off and nothing can turn it on but a reload (which
     * builds the filters again): no endpoint.
     *
     * @param exempt the probes' and Actuator's paths, which maintenance never answers
     */
    static MaintenanceFilter filter(Maintenance maintenance, boolean endpoint, MaintenanceProperties properties, DocRoot documentRoot,
            List<PathPattern> exempt) {
        MaintenanceProperties.Maintenance settings = properties.maintenance();
        // Checked even when unused, so that a wrong page is found before the day it is needed.
        MaintenanceFilter.Page page = settings.page() == null || settings.page().isBlank() ? null : page(documentRoot, settings.page().trim());
        if (!maintenance.isEnabled() && !settings.enabled() && !endpoint) {
            return null;
        }
        return new MaintenanceFilter(maintenance, settings.retryAfter(), exempt, page);
    }

    @Bean
    @ConditionalOnAvailableEndpoint
    MaintenanceEndpoint pierMaintenanceEndpoint(Maintenance maintenance, MaintenanceProperties properties) {
        return new MaintenanceEndpoint(maintenance, properties.maintenance().retryAfter());
    }

    static List<PathPattern> exemptPaths(Environment environment, WebEndpointsSupplier endpoints, HealthEndpointGroups healthGroups) {
        String basePath = basePath(Binder.get(environment).bind("management.endpoints.web.base-path", String.class).orElse("/actuator"));
        Set<String> paths = new LinkedHashSet<>();
        if (!basePath.isEmpty()) {
            paths.add(basePath + "/**");
        }
        if (endpoints != null) {
            for (ExposableWebEndpoint endpoint : endpoints.getEndpoints()) {
                paths.add(basePath + "/" + endpoint.getRootPath() + "/**");
            }
        }
        if (healthGroups != null) {
            for (WebServerNamespace namespace : List.of(WebServerNamespace.SERVER, WebServerNamespace.MANAGEMENT)) {
                healthGroups.getAllWithAdditionalPath(namespace).forEach(group -> paths.add(group.getAdditionalPath().getValue()));
            }
        }
        List<PathPattern> patterns = new ArrayList<>();
        for (String path : paths) {
            patterns.add(PathPattern.compile(path.startsWith("/") ? path : "/" + path));
        }
        return patterns;
    }

    private static String basePath(String configured) {
        String trimmed = configured == null ? "" : configured.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() || trimmed.startsWith("/") ? trimmed : "/" + trimmed;
    }

    /** The page, resolved through the document root on each 503, so it may be added or changed while Pier runs. */
    static MaintenanceFilter.Page page(DocRoot documentRoot, String path) {
        Resolution resolution = path.startsWith("/") ? documentRoot.resolve(path) : null;
        if (resolution == null || resolution instanceof Resolution.BadRequest) {
            throw new InvalidConfigurationPropertyValueException("pier.maintenance.page", path,
                    "The maintenance page must be a path in the document root starting with /, such as /maintenance.html.");
        }
        if (!(resolution instanceof Resolution.Found)) {
            log.warn("The maintenance page {} is not a file of {}; Pier's own 503 page will be served until it is", path, documentRoot.root());
        }
        // Served as the site's error pages are; the filter adds Retry-After and no-store, and falls back to Pier's 503 page.
        return request -> ErrorPages.sitePage(documentRoot, path, ErrorResponses.of(503, "The site is down for maintenance.", request), request);
    }
}
