package dev.pier.config;

import dev.pier.files.CacheControlRules;
import dev.pier.files.DocRoot;
import dev.pier.http.HostSelector;
import dev.pier.files.InvalidDocumentRootException;
import dev.pier.files.StaticFileHandler;
import dev.pier.files.StaticFileSettings;
import dev.pier.files.VirtualHosts;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Virtual hosts ({@code pier.hosts}): one {@link StaticFileHandler} per host over its own
 * {@link DocRoot}, picked by the request's host, in the static files' place at the end of the
 * handler chain, built for {@link SiteAssembler}. Present only when a host is configured, so a
 * server without them runs exactly as before. Each entry is checked here, at startup and on each
 * reload, with one sentence per mistake: no names, a
 * name that is neither a host name nor a {@code *.} wildcard, a name of two hosts, a missing or
 * unreadable document root, a try-files the fallback contradicts.
 *
 * <p>Per host: the document root, try-files with fallback, error pages and Cache-Control rules,
 * each replacing the top-level setting when set. Everything else (hidden files, listing,
 * compression, ranges, CORS, security headers, trailing slash, file cache limits) is the top-level
 * setting, applied to each host's handler; the file cache limits hold per host.
 */
final class VirtualHostRules {

    private static final Logger log = LoggerFactory.getLogger(VirtualHostRules.class);

    private VirtualHostRules() {
    }

    /**
     * The virtual hosts, or {@code null} without {@code pier.hosts}.
     *
     * @param staticFiles what serves unknown hosts with {@code pier.unknown-host=default}
     */
    static VirtualHosts virtualHosts(HostsProperties hosts, PierProperties properties, StaticFileHandler staticFiles) {
        if (hosts.hosts().isEmpty()) {
            return null;
        }
        StaticFileHandler unknownHosts = null;
        int unknownHostStatus = 0;
        switch (hosts.unknownHost().trim()) {
            case "default" -> unknownHosts = staticFiles;
            case "421" -> unknownHostStatus = 421;
            case "404" -> unknownHostStatus = 404;
            default -> throw new InvalidConfigurationPropertyValueException("pier.unknown-host", hosts.unknownHost(),
                    "pier.unknown-host must be default (served from pier.document-root), 421 (Misdirected Request) or 404.");
        }
        StaticFileSettings defaults = PierAutoConfiguration.staticFileSettings(properties);
        List<HostSelector.Entry<StaticFileHandler>> entries = new ArrayList<>();
        for (int i = 0; i < hosts.hosts().size(); i++) {
            HostsProperties.Host host = hosts.hosts().get(i);
            entries.add(new HostSelector.Entry<>(host.names(), handler("pier.hosts[" + i + "].", host, properties, defaults)));
        }
        HostSelector<StaticFileHandler> selector;
        try {
            selector = HostSelector.of(entries);
        } catch (HostSelector.InvalidHostException e) {
            throw new InvalidConfigurationPropertyValueException("pier.hosts[" + e.host() + "].names", hosts.hosts().get(e.host()).names(), e.getMessage());
        }
        VirtualHosts virtualHosts = new VirtualHosts(selector, unknownHosts, unknownHostStatus);
        log.info("Pier serving {}", virtualHosts);
        return virtualHosts;
    }

    /** One host's handler: its own root, and its own settings where it has them. */
    static StaticFileHandler handler(String prefix, HostsProperties.Host host, PierProperties properties, StaticFileSettings defaults) {
        if (host.documentRoot() == null) {
            throw new InvalidConfigurationPropertyValueException(prefix + "document-root", null,
                    "Each host needs a document-root, the folder whose files it serves.");
        }
        DocRoot root;
        try {
            root = new DocRoot(host.documentRoot(), properties.serveHiddenFiles(), properties.hiddenFiles().allow());
        } catch (InvalidDocumentRootException e) {
            // DocRoot names the top-level key; this one is the host's.
            throw new InvalidConfigurationPropertyValueException(prefix + "document-root", host.documentRoot(),
                    e.getMessage().replace("pier.document-root", prefix + "document-root") + ".");
        }
        StaticFileSettings settings = defaults;
        if (host.tryFiles() != null || host.fallback() != null) {
            settings = settings.withTryFiles(PierAutoConfiguration.tryFiles(prefix, host.tryFiles(), host.fallback())).withFallback(host.fallback());
        }
        if (host.errorPages() != null) {
            settings = settings.withErrorPages(host.errorPages());
        }
        if (host.cacheControl() != null) {
            settings = settings.withCacheControl(new CacheControlRules(host.cacheControl()));
        }
        return new StaticFileHandler(root, settings);
    }
}
