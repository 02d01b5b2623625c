package dev.pier.config;

import dev.pier.files.DocRoot;
import dev.pier.files.StaticFileHandler;
import dev.pier.files.VirtualHosts;
import dev.pier.handler.ExchangeFilter;
import dev.pier.handler.FilteredHandlers;
import dev.pier.handler.HttpHandler;
import dev.pier.http.PathPattern;
import dev.pier.rules.Maintenance;
import dev.pier.rules.RateLimitFilter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Builds what the server serves from {@link SiteProperties}: the application's handler beans, then
 * the static files or the virtual hosts, each inside the application's {@link ExchangeFilter}
 * beans and Pier's rules, merged by order. It builds at startup and again on each reload, the
 * same way, so a reload can add a rule that startup had none of. A rule kind that is not
 * configured adds no filter, and a handler with no filter is not wrapped at all.
 *
 * <p>A part whose settings did not change is kept as it was: the static files with their cache,
 * the rate limits with their buckets, basic auth with its users. The other rules are cheap to build
 * and hold nothing worth keeping.
 */
@Slf4j
final class SiteAssembler {

    /**
     * One build: what the server serves, and the parts kept for the next build to reuse.
     *
     * @param staticFiles what serves the document root (unknown hosts too, by default), for its metrics
     */
    record Site(List<HttpHandler> handlers, StaticFileHandler staticFiles, SiteProperties properties, Map<String, Part> parts) {
    }

    /** A stateful part and the settings it was built from. */
    record Part(Object settings, Object built) {
    }

    /**
     * The document root and static file beans Spring built at startup: the first build serves
     * them, and a reload replaces them only when they are Pier's own and their settings changed.
     */
    record Startup(PierProperties properties, DocRoot docRoot, boolean ownDocRoot, StaticFileHandler staticFiles, boolean ownStaticFiles) {
    }

    /** A filter and where it stands among the others. */
    private record Placed(int order, ExchangeFilter filter) {
    }

    private final List<HttpHandler> handlers;
    private final List<Placed> applicationFilters;
    /** Built once: the access log reads the same trusted proxies, and it is not rebuilt. */
    private final ExchangeFilter clientAddress;
    /** The application's own static file handler, which Pier never rebuilds; {@code null} when Pier's. */
    private final StaticFileHandler customStaticFiles;
    /** The application's own document root; {@code null} when Pier's. */
    private final DocRoot customDocRoot;
    /** What the first build takes as already built. */
    private final Map<String, Part> startupParts = new HashMap<>();
    private final Maintenance maintenance;
    private final boolean maintenanceEndpoint;
    private final List<PathPattern> maintenanceExempt;
    private final RateLimitFilter.NanoClock clock;
    private final RateLimitRejections rateLimitRejections;
    private volatile Site current;

    /**
     * @param handlers the application's handler beans in order, without the static files
     * @param filters the application's filter beans, with the bean factory that tells their order
     */
    SiteAssembler(List<HttpHandler> handlers, Map<String, ExchangeFilter> filters, ConfigurableListableBeanFactory beans, Startup startup,
            ClientAddressProperties clientAddress,
            Maintenance maintenance, boolean maintenanceEndpoint, List<PathPattern> maintenanceExempt, RateLimitFilter.NanoClock clock,
            RateLimitRejections rateLimitRejections) {
        this.handlers = List.copyOf(handlers);
        this.applicationFilters = filters.entrySet().stream().map(filter -> new Placed(order(beans, filter.getKey(), filter.getValue()), filter.getValue()))
                .sorted(Comparator.comparingInt(Placed::order)).toList();
        this.clientAddress = ClientAccessRules.clientAddressFilter(clientAddress);
        this.customDocRoot = startup.ownDocRoot() ? null : startup.docRoot();
        this.customStaticFiles = startup.ownStaticFiles() ? null : startup.staticFiles();
        if (startup.ownDocRoot()) {
            startupParts.put("docRoot", new Part(documentRootSettings(startup.properties()), startup.docRoot()));
        }
        if (startup.ownStaticFiles()) {
            startupParts.put("files", new Part(List.of(startup.properties(), startup.docRoot()), startup.staticFiles()));
        }
        this.maintenance = maintenance;
        this.maintenanceEndpoint = maintenanceEndpoint;
        this.maintenanceExempt = List.copyOf(maintenanceExempt);
        this.clock = clock;
        this.rateLimitRejections = rateLimitRejections;
    }

    /** The site being served: the first build until a reload replaces it. */
    Site current() {
        return current;
    }

    /**
     * Makes a build the current one, once the server serves it. A change of
     * {@code pier.maintenance.enabled} in the files moves the switch; a switch flipped through the
     * endpoint stays as it is while the files say what they said.
     */
    void serving(Site site) {
        Site before = current;
        current = site;
        boolean enabled = site.properties().maintenance().maintenance().enabled();
        if (before == null ? enabled : before.properties().maintenance().maintenance().enabled() != enabled) {
            maintenance.set(enabled);
            log.info(enabled ? "Maintenance mode on: every request but {} answers 503" : "Maintenance mode off: serving again", maintenanceExempt);
        }
    }

    /**
     * A new build from these settings, reusing what it can of {@code previous}.
     *
     * @param previous the build being served, or {@code null} at startup
     */
    Site assemble(SiteProperties properties, Site previous) {
        Map<String, Part> before = previous == null ? startupParts : previous.parts();
        Map<String, Part> parts = new HashMap<>();
        DocRoot docRoot = customDocRoot != null ? customDocRoot
                : part("docRoot", documentRootSettings(properties.pier()), before, parts, () -> PierAutoConfiguration.documentRoot(properties.pier()));
        StaticFileHandler staticFiles = customStaticFiles != null ? customStaticFiles
                : part("files", List.of(properties.pier(), docRoot), before, parts,
                        () -> new StaticFileHandler(docRoot, PierAutoConfiguration.staticFileSettings(properties.pier())));
        VirtualHosts hosts = part("hosts", List.of(properties.hosts(), properties.pier(), staticFiles), before, parts,
                () -> VirtualHostRules.virtualHosts(properties.hosts(), properties.pier(), staticFiles));

        List<Placed> filters = new ArrayList<>(applicationFilters);
        place(filters, ClientAccessRules.CLIENT_ADDRESS_ORDER, clientAddress);
        place(filters, MaintenanceAutoConfiguration.ORDER,
                MaintenanceAutoConfiguration.filter(maintenance, maintenanceEndpoint, properties.maintenance(), docRoot, maintenanceExempt));
        place(filters, HeaderRules.ORDER, HeaderRules.filter(properties.headers()));
        place(filters, RedirectRules.ORDER, RedirectRules.filter(properties.redirects()));
        place(filters, RewriteRules.ORDER, RewriteRules.filter(properties.rewrites()));
        place(filters, ClientAccessRules.RATE_LIMIT_ORDER, part("rateLimits", properties.rateLimits(), before, parts,
                () -> ClientAccessRules.rateLimitFilter(properties.rateLimits(), clock, rateLimitRejections.count)));
        place(filters, ClientAccessRules.ACCESS_ORDER, ClientAccessRules.accessFilter(properties.access()));
        boolean https = properties.server().ssl().active();
        place(filters, BasicAuthRules.ORDER, part("basicAuth", List.of(properties.basicAuth(), https), before, parts,
                () -> BasicAuthRules.filter(properties.basicAuth(), https)));
        // Stable: among equal orders the application's filters stay first, in their own order.
        filters.sort(Comparator.comparingInt(Placed::order));
        List<ExchangeFilter> around = filters.stream().map(Placed::filter).toList();

        List<HttpHandler> chain = new ArrayList<>(handlers);
        chain.add(hosts != null ? hosts : staticFiles);
        chain.replaceAll(handler -> FilteredHandlers.wrap(handler, around));
        return new Site(List.copyOf(chain), staticFiles, properties, Map.copyOf(parts));
    }

    /** The part built before from equal settings, or a new one; remembered for the next build either way. */
    private static <T> T part(String name, Object settings, Map<String, Part> before, Map<String, Part> parts, Supplier<T> build) {
        Part kept = before.get(name);
        @SuppressWarnings("unchecked")
        T built = kept != null && kept.settings().equals(settings) ? (T) kept.built() : build.get();
        if (built != null) {
            parts.put(name, new Part(settings, built));
        }
        return built;
    }

    private static void place(List<Placed> filters, int order, ExchangeFilter filter) {
        if (filter != null) {
            filters.add(new Placed(order, filter));
        }
    }

    private static List<Object> documentRootSettings(PierProperties properties) {
        return List.of(properties.documentRoot(), properties.serveHiddenFiles(), properties.hiddenFiles());
    }

    /** A bean's order as {@code ObjectProvider.orderedStream()} sees it: {@link Ordered}, else {@code @Order} on its class or factory method. */
    private static int order(ConfigurableListableBeanFactory beans, String name, ExchangeFilter filter) {
        if (filter instanceof Ordered ordered) {
            return ordered.getOrder();
        }
        Order order = beans.findAnnotationOnBean(name, Order.class);
        return order == null ? Ordered.LOWEST_PRECEDENCE : order.value();
    }
}
