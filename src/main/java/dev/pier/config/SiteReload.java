package dev.pier.config;

import dev.pier.files.InvalidDocumentRootException;
import dev.pier.server.HttpServer;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import lombok.extern.slf4j.Slf4j;
import org.springframework.boot.autoconfigure.ssl.PropertiesSslBundle;
import org.springframework.boot.autoconfigure.ssl.SslProperties;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ResourceLoader;

/**
 * Reads the configuration again, as Boot read it at startup ({@code application.yml}, profiles,
 * {@code spring.config.*} locations), and swaps in what it says of the rules, the hosts, the
 * static files and the certificates, between requests: a request keeps the rules it started with,
 * the next one gets the new ones, and no connection notices. Anything wrong in the new files (a
 * value that does not bind, a rule refused, an unreadable htpasswd or certificate) refuses the
 * whole reload with one log line and the running configuration keeps serving. What only a restart
 * can change (ports, event loops, limits, timeouts) keeps its running value, and the log names it.
 *
 * <p>Started by {@code SIGHUP} ({@code systemctl reload}, {@link ReloadSignal}) or by the
 * {@code reload} Actuator endpoint ({@link ReloadEndpoint}); one reload at a time.
 */
@Slf4j
public final class SiteReload {

    /**
     * What a reload did.
     *
     * @param reloaded whether the new configuration is being served
     * @param message why it was refused, or what changed
     * @param needRestart settings that changed in the files but keep their running value until a restart
     */
    public record Outcome(boolean reloaded, String message, List<String> needRestart) {
    }

    /** The keys a reload applies; every other {@code pier.*}, {@code server.*} or {@code management.server.*} key takes a restart. */
    private static final List<ConfigurationPropertyName> RELOADABLE = Arrays.stream(new String[] {
            "pier.document-root", "pier.serve-hidden-files", "pier.hidden-files", "pier.directory-listing", "pier.fallback", "pier.try-files",
            "pier.trailing-slash", "pier.error-pages", "pier.cache-control", "pier.security-headers", "pier.compression", "pier.ranges",
            "pier.cors", "pier.file-cache", "pier.maintenance", "pier.headers", "pier.redirects", "pier.rewrites", "pier.rate-limits",
            "pier.rate-limit-clients", "pier.access", "pier.basic-auth", "pier.hosts", "pier.unknown-host", "spring.ssl.bundle"})
            .map(ConfigurationPropertyName::of).toList();

    /** What a reload compares to tell the operator what it could not apply. */
    private static final List<ConfigurationPropertyName> WATCHED = Arrays.stream(new String[] {
            "pier", "server", "management.server", "management.endpoints", "spring.threads", "spring.lifecycle"})
            .map(ConfigurationPropertyName::of).toList();

    private final ConfigurableEnvironment environment;
    private final SiteAssembler assembler;
    private final HttpServer server;
    /** Boot's SSL bundles, to read and to update; {@code null} without its SSL auto-configuration. */
    private final DefaultSslBundleRegistry bundles;
    private final ResourceLoader resources;

    SiteReload(ConfigurableEnvironment environment, SiteAssembler assembler, HttpServer server, DefaultSslBundleRegistry bundles,
            ResourceLoader resources) {
        this.environment = environment;
        this.assembler = assembler;
        this.server = server;
        this.bundles = bundles;
        this.resources = resources;
    }

    /** Reads the configuration again and serves it, or refuses it and keeps serving the running one. */
    public synchronized Outcome reload() {
        long started = System.nanoTime();
        SiteAssembler.Site running = assembler.current();
        ConfigurableEnvironment fresh;
        SiteAssembler.Site site;
        Map<String, SslBundle> certificates;
        try {
            fresh = reread(environment, resources);
            SiteProperties properties = SiteProperties.bind(fresh);
            site = assembler.assemble(properties, running);
            certificates = changedCertificates(properties.ssl());
        } catch (RuntimeException e) {
            String reason = reason(e);
            log.error("Reload refused, the running configuration keeps serving: {}", reason);
            return new Outcome(false, reason, List.of());
        }
        server.replaceHandlers(site.handlers());
        assembler.serving(site);
        certificates.forEach((name, bundle) -> {
            if (bundles.getBundleNames().contains(name)) {
                bundles.updateBundle(name, bundle);
            } else {
                bundles.registerBundle(name, bundle);
            }
        });
        List<String> needRestart = needRestart(environment, fresh);
        replaceConfigData(environment, fresh);
        String message = "Reloaded the configuration in " + (System.nanoTime() - started) / 1_000_000 + " ms"
                + (certificates.isEmpty() ? "" : "; new certificates for SSL bundles " + certificates.keySet())
                + (needRestart.isEmpty() ? "" : "; these take a restart and keep their running values: " + String.join(", ", needRestart));
        log.info(message);
        return new Outcome(true, message, needRestart);
    }

    /**
     * A new environment with everything the running one has but its configuration files (the
     * command line, system properties, environment variables, defaults), and the files read again
     * by Boot's own config data processing, with the active profiles.
     */
    static ConfigurableEnvironment reread(ConfigurableEnvironment running, ResourceLoader resources) {
        StandardEnvironment fresh = new StandardEnvironment();
        MutablePropertySources sources = fresh.getPropertySources();
        List.copyOf(sources.stream().map(PropertySource::getName).toList()).forEach(sources::remove);
        for (PropertySource<?> source : running.getPropertySources()) {
            if (isKept(source)) {
                sources.addLast(source);
            }
        }
        ConfigDataEnvironmentPostProcessor.applyTo(fresh, resources, null, List.of(running.getActiveProfiles()));
        return fresh;
    }

    /** Boot names the property source of each configuration file it read so ({@code StandardConfigDataLoader}). */
    private static boolean isConfigData(PropertySource<?> source) {
        return source.getName().startsWith("Config resource '");
    }

    /** Every source but the configuration files and Boot's own view of all of them, which the new environment attaches afresh. */
    private static boolean isKept(PropertySource<?> source) {
        return !isConfigData(source) && !"configurationProperties".equals(source.getName());
    }

    /** The bundles whose certificates differ from the registry's, loaded now so that a bad file refuses the reload. */
    private Map<String, SslBundle> changedCertificates(SslProperties ssl) {
        Map<String, SslBundle> changed = new LinkedHashMap<>();
        if (bundles != null) {
            ssl.getBundle().getPem().forEach((name, properties) ->
                    addIfChanged(changed, name, "spring.ssl.bundle.pem." + name, () -> PropertiesSslBundle.get(properties, resources)));
            ssl.getBundle().getJks().forEach((name, properties) ->
                    addIfChanged(changed, name, "spring.ssl.bundle.jks." + name, () -> PropertiesSslBundle.get(properties, resources)));
        }
        return changed;
    }

    private void addIfChanged(Map<String, SslBundle> changed, String name, String property, Supplier<SslBundle> loader) {
        KeyStore stores;
        SslBundle bundle;
        try {
            bundle = loader.get();
            // Boot reads the files lazily; read them now, so that a bad one refuses the reload.
            stores = bundle.getStores().getKeyStore();
        } catch (RuntimeException e) {
            throw new UnloadableBundleException(property + " cannot be loaded: " + reason(e));
        }
        SslBundle current = bundles.getBundleNames().contains(name) ? bundles.getBundle(name) : null;
        if (current == null || !chains(stores).equals(chains(current.getStores().getKeyStore()))) {
            changed.put(name, bundle);
        }
    }

    /** A bundle whose files are missing or wrong: its own message is the whole story. */
    private static final class UnloadableBundleException extends RuntimeException {

        UnloadableBundleException(String message) {
            super(message);
        }
    }

    /** The certificate chain under each alias (a certificate equals another of the same encoding): the key cannot change without its certificate. */
    private static Map<String, List<Certificate>> chains(KeyStore store) {
        Map<String, List<Certificate>> chains = new LinkedHashMap<>();
        if (store != null) {
            try {
                for (String alias : Collections.list(store.aliases())) {
                    Certificate[] chain = store.getCertificateChain(alias);
                    chains.put(alias, chain == null ? Collections.singletonList(store.getCertificate(alias)) : Arrays.asList(chain));
                }
            } catch (KeyStoreException e) {
                // Thrown only by a store never loaded, and Boot's bundles are loaded.
                throw new IllegalStateException(e);
            }
        }
        return chains;
    }

    /** Keys set in either configuration whose value changed and which a reload does not apply, with both values. */
    static List<String> needRestart(ConfigurableEnvironment running, ConfigurableEnvironment fresh) {
        Set<String> keys = new TreeSet<>();
        for (ConfigurableEnvironment environment : List.of(running, fresh)) {
            for (PropertySource<?> source : environment.getPropertySources()) {
                if (isConfigData(source) && source instanceof EnumerablePropertySource<?> enumerable) {
                    keys.addAll(Arrays.asList(enumerable.getPropertyNames()));
                }
            }
        }
        List<String> changed = new ArrayList<>();
        for (String key : keys) {
            if (!ConfigurationPropertyName.isValid(key)) {
                continue;
            }
            ConfigurationPropertyName name = ConfigurationPropertyName.of(key);
            boolean watched = WATCHED.stream().anyMatch(root -> root.isAncestorOf(name));
            // Which certificate a host's names get is chosen in the TLS handshake, set up once at startup.
            boolean reloadable = RELOADABLE.stream().anyMatch(root -> root.equals(name) || root.isAncestorOf(name))
                    && !name.getLastElement(ConfigurationPropertyName.Form.UNIFORM).equals("sslbundle");
            String before = running.getProperty(key);
            String after = fresh.getProperty(key);
            if (watched && !reloadable && !Objects.equals(before, after)) {
                changed.add(key + " (" + before + " -> " + after + ")");
            }
        }
        return changed;
    }

    /** The running environment shows what is now served (Actuator's {@code env}, a later reload's comparison). */
    private static void replaceConfigData(ConfigurableEnvironment running, ConfigurableEnvironment fresh) {
        MutablePropertySources sources = running.getPropertySources();
        String following = null;
        boolean seen = false;
        for (PropertySource<?> source : sources) {
            if (isConfigData(source)) {
                seen = true;
            } else if (seen) {
                following = source.getName();
                break;
            }
        }
        sources.stream().filter(SiteReload::isConfigData).map(PropertySource::getName).toList().forEach(sources::remove);
        for (PropertySource<?> source : fresh.getPropertySources()) {
            if (isConfigData(source)) {
                if (following != null) {
                    sources.addBefore(following, source);
                } else {
                    sources.addLast(source);
                }
            }
        }
    }

    /**
     * One line saying what is wrong, as startup's failure analysis would: the rule or value
     * refused, with its property, else the innermost message.
     */
    static String reason(Throwable failure) {
        Throwable chosen = null;
        for (Throwable cause = failure; cause != null && chosen == null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof InvalidConfigurationPropertyValueException || cause instanceof BindValidationException
                    || cause instanceof InvalidDocumentRootException || cause instanceof UnloadableBundleException) {
                chosen = cause;
            }
        }
        if (chosen == null) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            Throwable bind = failure;
            while (bind != null && !(bind instanceof BindException)) {
                bind = bind.getCause();
            }
            String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            return oneLine(bind != null && bind != root ? bind.getMessage() + ": " + message : message);
        }
        return oneLine(chosen.getMessage());
    }

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s+", " ");
    }
}
