package dev.pier.config;

import dev.pier.files.CacheControlRules;
import dev.pier.files.CorsPolicy;
import dev.pier.files.DocRoot;
import dev.pier.files.StaticFileHandler;
import dev.pier.files.StaticFileSettings;
import dev.pier.files.TryFiles;
import dev.pier.handler.ExchangeFilter;
import dev.pier.handler.HttpHandler;
import dev.pier.handler.Listener;
import dev.pier.http.ParserLimits;
import dev.pier.observe.AccessLog;
import dev.pier.route.RouteFilter;
import dev.pier.rules.Maintenance;
import dev.pier.rules.RateLimitFilter;
import dev.pier.route.Router;
import dev.pier.route.Routes;
import dev.pier.observe.AccessLogMetrics;
import dev.pier.observe.ExchangeObservers;
import dev.pier.observe.RequestIdFilter;
import dev.pier.observe.RequestMetrics;
import dev.pier.observe.ServerMetrics;
import dev.pier.server.ExchangeObserver;
import dev.pier.server.HttpServer;
import dev.pier.server.ServerSettings;
import dev.pier.server.Workers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.micrometer.metrics.MaximumAllowableTagsMeterFilter;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.boot.thread.Threading;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires Pier's server into a Spring Boot application: settings from {@code pier.*} and
 * {@code server.*}, every {@link HttpHandler} bean in {@code @Order} with static files last, each
 * inside every {@link ExchangeFilter} bean, the access log and metrics that observe it, and the
 * lifecycle that starts and stops it. HTTPS takes its certificate from Boot's SSL bundles
 * ({@code server.ssl.bundle}).
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@EnableConfigurationProperties({PierProperties.class, ServerBindingProperties.class, ManagementBindingProperties.class, HttpsProperties.class,
        ClientAddressProperties.class, MaintenanceProperties.class, HeadersProperties.class, RedirectProperties.class, RewriteProperties.class,
        RateLimitProperties.class, AccessProperties.class, BasicAuthProperties.class, HostsProperties.class})
public class PierAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DocRoot pierDocumentRoot(PierProperties properties) {
        return documentRoot(properties);
    }

    static DocRoot documentRoot(PierProperties properties) {
        return new DocRoot(properties.documentRoot(), properties.serveHiddenFiles(), properties.hiddenFiles().allow());
    }

    @Bean
    @ConditionalOnMissingBean
    StaticFileHandler pierStaticFileHandler(DocRoot documentRoot, PierProperties properties) {
        return new StaticFileHandler(documentRoot, staticFileSettings(properties));
    }

    /**
     * Builds what the server serves (see {@link SiteAssembler}) from the handler and filter beans
     * and the settings a reload may change.
     *
     * @param clock a {@link RateLimitFilter.NanoClock} bean if there is one (tests), else {@link System#nanoTime()}
     */
    @Bean
    SiteAssembler pierSiteAssembler(ConfigurableListableBeanFactory beans, ObjectProvider<HttpHandler> handlers, ManagementBindingProperties management,
            PierProperties properties, DocRoot documentRoot, StaticFileHandler staticFiles, ObjectProvider<Maintenance> maintenance,
            ObjectProvider<MaintenanceEndpoint> maintenanceEndpoint, Environment environment, ObjectProvider<WebEndpointsSupplier> endpoints,
            ObjectProvider<HealthEndpointGroups> healthGroups, ObjectProvider<RateLimitFilter.NanoClock> clock, RateLimitRejections rejections,
            ClientAddressProperties clientAddress) {
        List<HttpHandler> served = handlers.orderedStream()
                .filter(handler -> handler != staticFiles)
                .filter(handler -> !(management.disabled() && handler.listener() == Listener.MANAGEMENT))
                .toList();
        SiteAssembler.Startup startup = new SiteAssembler.Startup(properties, documentRoot, beans.containsBeanDefinition("pierDocumentRoot"),
                staticFiles, beans.containsBeanDefinition("pierStaticFileHandler"));
        return new SiteAssembler(served, beans.getBeansOfType(ExchangeFilter.class), beans, startup, clientAddress, maintenance.getIfAvailable(() -> new Maintenance(false)),
                maintenanceEndpoint.getIfAvailable() != null,
                MaintenanceAutoConfiguration.exemptPaths(environment, endpoints.getIfAvailable(), healthGroups.getIfAvailable()),
                clock.getIfAvailable(() -> RateLimitFilter.NanoClock.SYSTEM),
                rejections);
    }

    /** {@code pier.ratelimit.rejected}, one adder for the rate limits of every build. */
    @Bean
    RateLimitRejections pierRateLimitRejections() {
        return new RateLimitRejections();
    }

    @Bean
    HttpServer pierHttpServer(PierProperties properties, ServerBindingProperties binding, ManagementBindingProperties management,
            HttpsProperties https, ObjectProvider<SslBundles> sslBundles, SiteAssembler assembler,
            ObjectProvider<BuildProperties> build, ApplicationEventPublisher events,
            ObjectProvider<ExchangeObserver> observers, ObjectProvider<MeterRegistry> meterRegistry, Environment environment,
            ListableBeanFactory beans) {
        SiteAssembler.Site site = assembler.assemble(SiteProperties.of(beans), null);
        assembler.serving(site);
        BuildProperties buildProperties = build.getIfAvailable();
        String serverName = buildProperties == null ? "Pier" : "Pier/" + buildProperties.getVersion();
        ServerSettings settings = settings(properties, binding, serverName).withVirtualWorkers(Threading.VIRTUAL.isActive(environment));
        if (management.separateFrom(binding)) {
            settings = settings.withManagement(new ServerSettings.Management(management.address(), management.port()));
        }
        if (binding.ssl().active() && https.tls().nativeCrypto()) {
            NativeCrypto.install();
        }
        settings = settings.withTls(SslBundleTls.settings(binding, https, site.properties().hosts(), sslBundles.getIfAvailable()));
        return new HttpServer(settings, site.handlers(), error -> AvailabilityChangeEvent.publish(events, error, LivenessState.BROKEN),
                observer(observers, meterRegistry.getIfAvailable()));
    }

    /**
     * Who hears of each exchange: the access log when enabled, any other {@link ExchangeObserver}
     * bean, and the {@code http.server.requests} timer when there is a meter registry; nobody
     * ({@link ExchangeObserver#NONE}) when none of them is there.
     */
    static ExchangeObserver observer(ObjectProvider<ExchangeObserver> observers, MeterRegistry meterRegistry) {
        List<ExchangeObserver> all = new ArrayList<>(observers.orderedStream().toList());
        if (meterRegistry != null) {
            all.add(new RequestMetrics(meterRegistry));
        }
        return ExchangeObservers.of(all);
    }

    /** Gives every exchange an id ({@code X-Request-Id}, in the MDC and the JSON access log); a bean of the type replaces it. */
    @Bean
    @ConditionalOnProperty(name = "pier.request-id.enabled", havingValue = "true")
    @ConditionalOnMissingBean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    RequestIdFilter pierRequestIdFilter() {
        return new RequestIdFilter();
    }

    /**
     * Every {@link Routes} bean, in {@code @Order}, served as one handler, with every
     * {@link RouteFilter} bean around its routes; its blocking routes run
     * on a bounded pool of their own ({@code pier.worker-threads} threads, {@code pier.worker-queue}
     * waiting, then 503).
     */
    @Bean
    @ConditionalOnBean(Routes.class)
    Router pierRouter(ObjectProvider<Routes> routes, ObjectProvider<RouteFilter> filters, JsonMapper json, PierProperties properties,
            Environment environment) {
        ExecutorService workers = Workers.create("pier-route-", properties.workerThreads(), properties.workerQueue(),
                Threading.VIRTUAL.isActive(environment));
        return new Router(routes.orderedStream().toList(), filters.orderedStream().toList(), json, workers, properties.limits().body().toBytes());
    }

    @Bean
    @ConditionalOnProperty(name = "pier.access-log.enabled", havingValue = "true", matchIfMissing = true)
    AccessLog pierAccessLog(PierProperties properties, ClientAddressProperties clientAddress) {
        return new AccessLog(properties.accessLog().format(), properties.accessLog().responseTime(), properties.accessLog().exclude(),
                ClientAccessRules.trustedProxies(clientAddress));
    }

    /** Counts access log lines dropped when its writer falls behind. */
    @Bean
    @ConditionalOnProperty(name = "pier.access-log.enabled", havingValue = "true", matchIfMissing = true)
    AccessLogMetrics pierAccessLogMetrics(AccessLog accessLog) {
        return new AccessLogMetrics(accessLog);
    }

    @Bean
    FileCacheMetrics pierFileCacheMetrics(SiteAssembler assembler) {
        return new FileCacheMetrics(() -> assembler.current().staticFiles());
    }

    /** Pier's connection, request, rejection, timeout and event-loop gauges and counters, read from {@link HttpServer#stats()}. */
    @Bean
    ServerMetrics pierServerMetrics(HttpServer server) {
        return new ServerMetrics(server.stats());
    }

    /**
     * Caps the {@code uri} tag's values as Boot does for Spring MVC
     * ({@code management.metrics.web.server.max-uri-tags}, 100): a handler whose templates are not
     * bounded after all costs a warning, not the registry's memory.
     */
    @Bean
    MeterFilter pierUriTagLimit(ObjectProvider<MetricsProperties> metricsProperties) {
        MetricsProperties metrics = metricsProperties.getIfAvailable(MetricsProperties::new);
        return new MaximumAllowableTagsMeterFilter(RequestMetrics.METRIC, "uri", metrics.getWeb().getServer().getMaxUriTags());
    }

    @Bean
    PierServerLifecycle pierServerLifecycle(HttpServer server, ServerBindingProperties binding, ManagementBindingProperties management,
            DocRoot documentRoot, ConfigurableEnvironment environment) {
        return new PierServerLifecycle(server, binding, management, documentRoot.root(), environment);
    }

    @Bean
    @ConditionalOnProperty(name = "server.shutdown", havingValue = "graceful", matchIfMissing = true)
    PierGracefulShutdownLifecycle pierGracefulShutdownLifecycle(HttpServer server, PierProperties properties) {
        return new PierGracefulShutdownLifecycle(server, properties.shutdown().delay());
    }

    /**
     * Boot's servlet and reactive contexts publish REFUSING_TRAFFIC as they start closing; a Pier
     * application is neither, so Pier does it, before its listener closes.
     */
    @Bean
    ApplicationListener<ContextClosedEvent> pierRefuseTrafficOnClose() {
        return event -> AvailabilityChangeEvent.publish(event.getApplicationContext(), ReadinessState.REFUSING_TRAFFIC);
    }

    static ServerSettings settings(PierProperties properties, ServerBindingProperties binding, String serverName) {
        PierProperties.Limits limits = properties.limits();
        PierProperties.Timeouts timeouts = properties.timeouts();
        PierProperties.Http2 http2 = properties.http2();
        int eventLoops = properties.eventLoops() == 0 ? Runtime.getRuntime().availableProcessors() : properties.eventLoops();
        return new ServerSettings(binding.address(), binding.port(), properties.backlog(), eventLoops,
                properties.workerThreads(), properties.workerQueue(),
                // Sizes were bound within InRange's bounds, so they fit an int.
                new ParserLimits(Math.toIntExact(limits.requestLine().toBytes()), Math.toIntExact(limits.headerBytes().toBytes()),
                        limits.headers(), limits.body().toBytes()),
                new ServerSettings.Timeouts(timeouts.header(), timeouts.keepAlive(), timeouts.body(), timeouts.send(), timeouts.response()),
                new ServerSettings.Connections(limits.connections(), limits.keepAliveRequests(), limits.connectionsPerAddress(),
                        ClientAccessRules.ranges("pier.limits.connections-per-address-exempt", limits.connectionsPerAddressExempt())),
                serverName, null)
                .withHttp2(!http2.enabled() ? null : new ServerSettings.Http2(http2.maxConcurrentStreams(),
                        Math.toIntExact(http2.initialWindowSize().toBytes()), Math.toIntExact(http2.maxFrameSize().toBytes()),
                        Math.toIntExact(http2.headerTableSize().toBytes()), http2.maxContinuationFrames(), http2.maxResets(),
                        http2.maxControlFrames(), http2.abuseWindow()));
    }

    /**
     * Maps {@code pier.*} onto the static file handler's own settings. Cache-Control patterns are
     * compiled here, once, by {@code dev.pier.files}' own matcher: the handler must not depend on
     * Spring, and its Ant subset is small enough to own (see {@code PathPattern}).
     */
    static StaticFileSettings staticFileSettings(PierProperties properties) {
        PierProperties.Compression compression = properties.compression();
        PierProperties.Cors cors = properties.cors();
        return new StaticFileSettings(
                properties.directoryListing(),
                properties.fallback(),
                properties.errorPages(),
                new CacheControlRules(properties.cacheControl()),
                properties.securityHeaders(),
                new StaticFileSettings.Compression(compression.enabled(), compression.precompressed(),
                        compression.minSize().toBytes(), compression.maxSize().toBytes(), compression.cacheSize().toBytes()),
                properties.ranges().enabled() ? properties.ranges().maxRanges() : 0,
                new CorsPolicy(cors.allowedOrigins(), cors.allowedMethods(), cors.allowedHeaders(), cors.exposedHeaders(),
                        cors.maxAge(), cors.allowCredentials()),
                new StaticFileSettings.FileCache(properties.fileCache().paths(), properties.fileCache().revalidateAfter(),
                        properties.fileCache().openFiles(), properties.fileCache().maxFileSize().toBytes(), properties.fileCache().size().toBytes()),
                tryFiles(properties),
                properties.trailingSlash());
    }

    /** {@code pier.try-files} read, and checked against {@code pier.fallback}; {@code null} when unset. */
    private static TryFiles tryFiles(PierProperties properties) {
        return tryFiles("pier.", properties.tryFiles(), properties.fallback());
    }

    /**
     * {@code <prefix>try-files} read, and checked against {@code <prefix>fallback}; {@code null}
     * when unset. Shared with each virtual host's own pair.
     */
    static TryFiles tryFiles(String prefix, List<String> written, String fallback) {
        if (written == null || written.isEmpty()) {
            return null;
        }
        TryFiles tryFiles;
        try {
            tryFiles = TryFiles.parse(written);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(prefix + "try-files", written, e.getMessage());
        }
        if (fallback != null && !fallback.equals(tryFiles.fallback())) {
            throw new InvalidConfigurationPropertyValueException(prefix + "fallback", fallback, prefix + "fallback must be unset or equal to the last entry of "
                    + prefix + "try-files " + written + ", which replaces it: remove " + prefix + "fallback or end " + prefix + "try-files with it.");
        }
        return tryFiles;
    }
}
