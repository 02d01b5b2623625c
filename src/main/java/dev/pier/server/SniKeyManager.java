package dev.pier.server;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A server key manager over several certificates, which picks the one of the host the client
 * names by SNI (RFC 6066 §3) while the handshake runs, as Jetty's {@code SniX509ExtendedKeyManager}
 * does: the host's own manager chooses an alias of the requested key type, and the alias carries
 * that manager's index ({@code 2:pier}) so the certificate chain and the key are asked of the
 * same manager. A host whose certificate has no key of the type asked gets none, never another
 * host's: JSSE then tries the client's next signature scheme, or fails the handshake.
 *
 * <p>Server side only, over engines: a client key manager or a blocking socket has no use here.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private static final String SEPARATOR = ":";

    private final HostCertificates certificates;

    SniKeyManager(HostCertificates certificates) {
        this.certificates = certificates;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        X509ExtendedKeyManager keys = certificates.forName(requestedHostName(engine == null ? null : engine.getHandshakeSession()));
        String alias = keys.chooseEngineServerAlias(keyType, issuers, engine);
        return alias == null ? null : certificates.indexOf(keys) + SEPARATOR + alias;
    }

    /** The host name the client asked for by SNI in that session (a handshake's, or an established one), or {@code null} if it named none. */
    static String requestedHostName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        X509ExtendedKeyManager keys = managerOf(alias);
        return keys == null ? null : keys.getCertificateChain(localAlias(alias));
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        X509ExtendedKeyManager keys = managerOf(alias);
        return keys == null ? null : keys.getPrivateKey(localAlias(alias));
    }

    private X509ExtendedKeyManager managerOf(String alias) {
        int separator = alias == null ? -1 : alias.indexOf(SEPARATOR);
        if (separator <= 0) {
            return null;
        }
        try {
            return certificates.manager(Integer.parseInt(alias, 0, separator, 10));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String localAlias(String alias) {
        return alias.substring(alias.indexOf(SEPARATOR) + 1);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }
}
