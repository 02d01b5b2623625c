package dev.pier.config;

import dev.pier.server.HostCertificates;
import dev.pier.server.ServerSettings;
import dev.pier.server.TlsContext;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSessionContext;
import lombok.extern.slf4j.Slf4j;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * Makes the server's TLS settings from the SSL bundle {@code server.ssl.bundle} names, and keeps
 * them current: when Boot reloads the bundle ({@code reload-on-update: true}, its files changed),
 * the server's context supplier answers with the new certificate, which connections accepted from
 * then on use. The bundle's {@code options.enabled-protocols} and {@code options.ciphers} replace
 * Pier's defaults (TLS 1.3 and 1.2, AEAD suites) when set. Hosts with a bundle of their own
 * ({@code pier.hosts[n].ssl-bundle}, {@link HostSslBundles}) get its certificate by SNI; a reload
 * of any of those bundles makes the context again.
 */
@Slf4j
final class SslBundleTls {

    private SslBundleTls() {
    }

    /**
     * @return the TLS settings, or {@code null} for plain HTTP
     * @throws InvalidConfigurationPropertyValueException if a redirect port is set without HTTPS, or on server.port
     */
    static ServerSettings.Tls settings(ServerBindingProperties binding, HttpsProperties https, HostsProperties hostsProperties, SslBundles bundles) {
        ServerBindingProperties.Ssl ssl = binding.ssl();
        Integer redirectPort = https.httpRedirectPort();
        if (!ssl.active()) {
            // Nothing to build, but a host's ssl-bundle without HTTPS is refused here too.
            HostSslBundles.of(hostsProperties, null, bundles);
            if (redirectPort != null) {
                throw new InvalidConfigurationPropertyValueException("pier.http-redirect-port", redirectPort,
                        "Redirecting to HTTPS needs HTTPS: name an SSL bundle in server.ssl.bundle.");
            }
            return null;
        }
        if (redirectPort != null && redirectPort != 0 && redirectPort == binding.port()) {
            throw new InvalidConfigurationPropertyValueException("pier.http-redirect-port", redirectPort,
                    "The redirect port must differ from server.port, which speaks HTTPS.");
        }
        if (bundles == null) {
            throw new IllegalStateException("server.ssl.bundle is set but there is no SslBundles bean (SslAutoConfiguration)");
        }
        String name = ssl.bundle();
        HttpsProperties.Tls tls = https.tls();
        HostSslBundles hosts = HostSslBundles.of(hostsProperties, name, bundles);
        AtomicReference<TlsContext> current = new AtomicReference<>(context(name, bundles, hosts, tls));
        log.info("HTTPS with SSL bundle '{}': {}; {}", name, describe(bundles.getBundle(name)), current.get().protocols());
        if (hosts != null) {
            log.info("Certificates by SNI: {}", hosts.describe(bundles));
        }
        List<String> outdated = current.get().protocols().stream().filter(protocol -> !TlsContext.DEFAULT_PROTOCOLS.contains(protocol)).toList();
        if (!outdated.isEmpty()) {
            log.warn("SSL bundle '{}' enables {} besides TLS 1.2 and 1.3; browsers have dropped them, and they have known weaknesses",
                    name, outdated);
        }
        for (String reloaded : hosts == null ? Set.of(name) : hosts.bundleNames()) {
            bundles.addBundleUpdateHandler(reloaded, updated -> {
                try {
                    current.set(context(name, bundles, hosts, tls));
                    log.info("SSL bundle '{}' reloaded; new connections get {}", reloaded, describe(updated));
                } catch (RuntimeException e) {
                    log.error("SSL bundle '{}' changed but cannot be used; new connections still get the previous certificate", reloaded, e);
                }
            });
        }
        return new ServerSettings.Tls(current::get, https.hsts(), redirectPort == null ? -1 : redirectPort);
    }

    /** The context of the bundles as they are now: Boot has replaced a reloaded one before telling its update handlers. */
    private static TlsContext context(String name, SslBundles bundles, HostSslBundles hosts, HttpsProperties.Tls tls) {
        SslBundle bundle = bundles.getBundle(name);
        SslOptions options = bundle.getOptions();
        HostCertificates certificates = hosts == null ? null : hosts.certificates(bundles);
        SSLContext context = certificates == null ? bundle.createSslContext() : HostSslBundles.context(bundle, certificates);
        SSLSessionContext sessions = context.getServerSessionContext();
        sessions.setSessionTimeout((int) tls.sessionTimeout().toSeconds());
        sessions.setSessionCacheSize(tls.sessionCacheSize());
        try {
            return new TlsContext(context, list(options.getEnabledProtocols()), list(options.getCiphers()), certificates);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("SSL bundle '" + name + "' cannot serve HTTPS: " + e.getMessage(), e);
        }
    }

    private static List<String> list(String[] values) {
        return values == null ? null : List.of(values);
    }

    /** Subject, serial and expiry of the bundle's certificate, for the log; warns of one that has expired. */
    static String describe(SslBundle bundle) {
        try {
            KeyStore store = bundle.getStores().getKeyStore();
            if (store == null) {
                return "no key store";
            }
            SslBundleKey key = bundle.getKey();
            String alias = key.getAlias();
            if (alias == null) {
                alias = Collections.list(store.aliases()).stream().filter(each -> isKeyEntry(store, each)).findFirst().orElse(null);
            }
            Certificate certificate = alias == null ? null : store.getCertificate(alias);
            if (!(certificate instanceof X509Certificate x509)) {
                return "no X.509 certificate";
            }
            Instant notAfter = x509.getNotAfter().toInstant();
            if (notAfter.isBefore(Instant.now())) {
                log.warn("The certificate {} expired at {}; clients will refuse it", x509.getSubjectX500Principal(), notAfter);
            }
            return x509.getSubjectX500Principal() + ", serial " + x509.getSerialNumber().toString(16) + ", valid until " + notAfter;
        } catch (KeyStoreException | RuntimeException e) {
            return "a certificate that could not be described (" + e.getMessage() + ")";
        }
    }

    private static boolean isKeyEntry(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (KeyStoreException e) {
            return false;
        }
    }
}
