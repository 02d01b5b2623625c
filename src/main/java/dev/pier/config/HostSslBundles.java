package dev.pier.config;

import dev.pier.http.HostSelector;
import dev.pier.server.HostCertificates;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * The SSL bundles of {@code pier.hosts[n].ssl-bundle}: checked at startup, and made into the
 * {@link SSLContext} that shows each host's names its own certificate, chosen by SNI, and the
 * default bundle's to every other name. Made again from the bundles' current contents whenever
 * one of them is reloaded.
 */
final class HostSslBundles {

    private final List<HostsProperties.Host> hosts;
    private final String defaultBundle;

    private HostSslBundles(List<HostsProperties.Host> hosts, String defaultBundle) {
        this.hosts = hosts;
        this.defaultBundle = defaultBundle;
    }

    /**
     * @param defaultBundle {@code server.ssl.bundle}, or {@code null} when HTTPS is off
     * @return the hosts' bundles, or {@code null} when no host names one
     * @throws InvalidConfigurationPropertyValueException if a host names a bundle while HTTPS is off, or a bundle that does not exist
     */
    static HostSslBundles of(HostsProperties properties, String defaultBundle, SslBundles bundles) {
        List<HostsProperties.Host> hosts = properties == null ? List.of() : properties.hosts();
        boolean any = false;
        for (int i = 0; i < hosts.size(); i++) {
            String name = hosts.get(i).sslBundle();
            if (name == null) {
                continue;
            }
            any = true;
            String key = "pier.hosts[" + i + "].ssl-bundle";
            if (defaultBundle == null) {
                throw new InvalidConfigurationPropertyValueException(key, name,
                        "A host's own certificate needs HTTPS: name the default SSL bundle in server.ssl.bundle, or remove " + key + ".");
            }
            try {
                bundles.getBundle(name);
            } catch (NoSuchSslBundleException e) {
                throw new InvalidConfigurationPropertyValueException(key, name,
                        "There is no SSL bundle named " + name + ": define it under spring.ssl.bundle.pem." + name + " or spring.ssl.bundle.jks." + name + ".");
            }
        }
        return any ? new HostSslBundles(hosts, defaultBundle) : null;
    }

    /** Every bundle whose reload changes the context: the default one and the hosts'. */
    Set<String> bundleNames() {
        Set<String> names = new LinkedHashSet<>(List.of(defaultBundle));
        hosts.stream().map(HostsProperties.Host::sslBundle).filter(name -> name != null).forEach(names::add);
        return names;
    }

    /** Which host name gets which bundle's certificate, from the bundles as they are now. */
    HostCertificates certificates(SslBundles bundles) {
        Map<String, X509ExtendedKeyManager> managers = new HashMap<>();
        List<HostSelector.Entry<X509ExtendedKeyManager>> entries = new ArrayList<>();
        for (HostsProperties.Host host : hosts) {
            String name = host.sslBundle();
            // Hosts sharing a bundle share its manager: one certificate, so no 421 between them.
            X509ExtendedKeyManager keys = name == null || name.equals(defaultBundle) ? null
                    : managers.computeIfAbsent(name, each -> keyManager(each, bundles.getBundle(each)));
            entries.add(new HostSelector.Entry<>(host.names(), keys));
        }
        return HostCertificates.of(keyManager(defaultBundle, bundles.getBundle(defaultBundle)), entries);
    }

    /** The default bundle's context, its certificate choice replaced by the hosts'. */
    static SSLContext context(SslBundle defaultBundle, HostCertificates certificates) {
        try {
            SSLContext context = SSLContext.getInstance(defaultBundle.getProtocol());
            context.init(new KeyManager[] {certificates.keyManager()}, defaultBundle.getManagers().getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not make a TLS context for the hosts' SSL bundles: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedKeyManager keyManager(String name, SslBundle bundle) {
        KeyManager[] managers = bundle.getManagers().getKeyManagers();
        return Arrays.stream(managers).filter(X509ExtendedKeyManager.class::isInstance).map(X509ExtendedKeyManager.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("SSL bundle '" + name + "' has no X.509 key manager, so no certificate to serve"));
    }

    /** Each host's names and the bundle describing its certificate, for the startup log. */
    String describe(SslBundles bundles) {
        return hosts.stream().filter(host -> host.sslBundle() != null)
                .map(host -> host.names() + " -> '" + host.sslBundle() + "' (" + SslBundleTls.describe(bundles.getBundle(host.sslBundle())) + ")")
                .collect(Collectors.joining("; "));
    }
}
