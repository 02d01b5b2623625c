package dev.pier.server;

import dev.pier.http.HostSelector;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Which certificate each host name gets over TLS: a host's own, or the listener's default for the
 * names of no host, the hosts without one of their own, and clients that send no SNI. Names match
 * as virtual hosts' do ({@link HostSelector}: exact, then the longest wildcard), so a host is
 * served the certificate of the host that serves its files.
 *
 * <p>Two uses, with one answer: during the handshake {@link SniKeyManager} picks the certificate
 * for the requested server name; after it, {@link #sameCertificate} tells whether a request's host
 * is one this connection may answer for (RFC 9110 §7.4). Immutable; a reloaded bundle makes a new
 * instance, and each connection keeps the one its certificate came from.
 */
public final class HostCertificates {

    private final X509ExtendedKeyManager defaultKeys;
    private final HostSelector<X509ExtendedKeyManager> hosts;
    /** Every distinct manager, the default first: an alias is prefixed with its index here. */
    private final List<X509ExtendedKeyManager> managers;

    private HostCertificates(X509ExtendedKeyManager defaultKeys, HostSelector<X509ExtendedKeyManager> hosts, List<X509ExtendedKeyManager> managers) {
        this.defaultKeys = defaultKeys;
        this.hosts = hosts;
        this.managers = managers;
    }

    /**
     * @param defaultKeys the listener's certificate
     * @param hosts each host's names and its key manager, {@code null} for one that has the default;
     *     entries sharing a certificate share the manager instance
     * @throws HostSelector.InvalidHostException if a name is not a host name or wildcard, or two hosts have it
     */
    public static HostCertificates of(X509ExtendedKeyManager defaultKeys, List<HostSelector.Entry<X509ExtendedKeyManager>> hosts) {
        List<X509ExtendedKeyManager> managers = new ArrayList<>(List.of(defaultKeys));
        List<HostSelector.Entry<X509ExtendedKeyManager>> entries = new ArrayList<>();
        for (HostSelector.Entry<X509ExtendedKeyManager> host : hosts) {
            X509ExtendedKeyManager keys = host.value() == null ? defaultKeys : host.value();
            if (managers.stream().noneMatch(known -> known == keys)) {
                managers.add(keys);
            }
            entries.add(new HostSelector.Entry<>(host.names(), keys));
        }
        return new HostCertificates(defaultKeys, HostSelector.of(entries), List.copyOf(managers));
    }

    /** The key manager a TLS context is made with: it chooses among the certificates by SNI. */
    public X509ExtendedKeyManager keyManager() {
        return new SniKeyManager(this);
    }

    /** The key manager whose certificate a host name gets, the default's when no host has it or there is no name. */
    X509ExtendedKeyManager forName(String hostName) {
        X509ExtendedKeyManager found = hosts.select(hostName);
        return found == null ? defaultKeys : found;
    }

    /**
     * Whether a request for {@code hostField} may be answered on a connection that showed the
     * certificate of {@code shown} (its {@link #forName} when the handshake ran): the host gets
     * that certificate too. A request without a host has nothing to be misdirected to.
     */
    boolean sameCertificate(X509ExtendedKeyManager shown, String hostField) {
        return hostField == null || hostField.isEmpty() || forName(hostField) == shown;
    }

    int indexOf(X509ExtendedKeyManager keys) {
        for (int i = 0; i < managers.size(); i++) {
            if (managers.get(i) == keys) {
                return i;
            }
        }
        throw new IllegalArgumentException("Not one of this listener's key managers");
    }

    /** The manager of that index, or {@code null} when there is none such. */
    X509ExtendedKeyManager manager(int index) {
        return index >= 0 && index < managers.size() ? managers.get(index) : null;
    }

    @Override
    public String toString() {
        return "HostCertificates" + hosts;
    }
}
