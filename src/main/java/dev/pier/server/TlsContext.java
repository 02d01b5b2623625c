package dev.pier.server;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;

/**
 * What every new TLS connection is made of: an {@link SSLContext} (the certificate and its key),
 * the protocol versions and cipher suites enabled, ALPN offering {@code h2} and {@code http/1.1}
 * or {@code http/1.1} alone, and, when hosts have certificates of their own, which host name gets
 * which ({@link HostCertificates}). Immutable; a renewed certificate is a new instance, which only connections accepted afterwards
 * use.
 */
public final class TlsContext {

    /** TLS 1.3 and 1.2, preferred in that order; nothing older. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * The TLS 1.3 suites, then TLS 1.2's forward-secret AEAD suites (Mozilla's "intermediate"
     * list, without finite-field Diffie-Hellman), in the server's order of preference. Those the
     * JDK lacks are left out.
     */
    public static final List<String> DEFAULT_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private static final SNIMatcher ANY_HOST_NAME = new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
        @Override
        public boolean matches(SNIServerName serverName) {
            return true;
        }
    };

    /** With HTTP/2 off, HTTP/1.1 is all Pier speaks; a client offering only other protocols is refused, as nginx does. */
    static final String[] APPLICATION_PROTOCOLS = {"http/1.1"};
    /** HTTP/2 first, as every server that has it prefers it (RFC 9113 §3.2). */
    static final String[] APPLICATION_PROTOCOLS_H2 = {"h2", "http/1.1"};

    private final SSLContext context;
    private final List<String> protocols;
    private final SSLParameters parametersH2;
    private final List<String> cipherSuites;
    private final SSLParameters parameters;
    private final HostCertificates hosts;

    /**
     * @param context holds the server's certificate and key
     * @param protocols protocol versions to enable, or {@code null} for {@link #DEFAULT_PROTOCOLS}
     * @param cipherSuites cipher suites to enable, in order of preference, or {@code null} for
     *     {@link #DEFAULT_CIPHER_SUITES}
     * @throws IllegalArgumentException if a protocol or cipher suite named is not supported
     */
    public TlsContext(SSLContext context, List<String> protocols, List<String> cipherSuites) {
        this(context, protocols, cipherSuites, null);
    }

    /**
     * @param context made with {@code hosts}' {@link HostCertificates#keyManager()} when not {@code null}
     * @param hosts which host name gets which certificate, or {@code null} when every name gets the one
     */
    public TlsContext(SSLContext context, List<String> protocols, List<String> cipherSuites, HostCertificates hosts) {
        this.context = context;
        this.hosts = hosts;
        SSLEngine probe = context.createSSLEngine();
        Set<String> supportedProtocols = Set.of(probe.getSupportedProtocols());
        Set<String> supportedSuites = Set.of(probe.getSupportedCipherSuites());
        this.protocols = protocols == null
                ? DEFAULT_PROTOCOLS.stream().filter(supportedProtocols::contains).toList()
                : checked("protocol", protocols, supportedProtocols);
        this.cipherSuites = cipherSuites == null
                ? DEFAULT_CIPHER_SUITES.stream().filter(supportedSuites::contains).toList()
                : checked("cipher suite", cipherSuites, supportedSuites);
        if (this.protocols.isEmpty() || this.cipherSuites.isEmpty()) {
            throw new IllegalArgumentException("No TLS protocol or cipher suite left to enable: protocols " + this.protocols
                    + ", cipher suites " + this.cipherSuites);
        }
        this.parameters = parameters(APPLICATION_PROTOCOLS);
        this.parametersH2 = parameters(APPLICATION_PROTOCOLS_H2);
        // Fails now, not at the first handshake, if the combination is refused.
        probe.setSSLParameters(parametersH2);
    }

    private SSLParameters parameters(String[] applicationProtocols) {
        SSLParameters defaults = context.getDefaultSSLParameters();
        defaults.setProtocols(this.protocols.toArray(String[]::new));
        defaults.setCipherSuites(this.cipherSuites.toArray(String[]::new));
        defaults.setUseCipherSuitesOrder(true);
        defaults.setApplicationProtocols(applicationProtocols);
        defaults.setNeedClientAuth(false);
        defaults.setWantClientAuth(false);
        if (hosts != null) {
            // JSSE remembers a session's server name only when a matcher accepted it, and then resumes
            // it for that name alone: without this, a session begun for one host's certificate could
            // be resumed under another's name. Every name is accepted; an unknown one gets the default.
            defaults.setSNIMatchers(List.of(ANY_HOST_NAME));
        }
        return defaults;
    }

    /** Defaults for everything but the certificate: for tests and embedding. */
    public static TlsContext of(SSLContext context) {
        return new TlsContext(context, null, null);
    }

    /** A context for the first key entry of a key store (PKCS12 or JKS), with the default protocols and suites. */
    public static TlsContext of(KeyStore keyStore, char[] keyPassword) throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, keyPassword);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return of(context);
    }

    private static List<String> checked(String kind, List<String> wanted, Set<String> supported) {
        for (String name : wanted) {
            if (!supported.contains(name)) {
                throw new IllegalArgumentException("Unsupported TLS " + kind + " " + name + "; this JDK supports "
                        + Arrays.toString(supported.stream().sorted().toArray()));
            }
        }
        return List.copyOf(wanted);
    }

    /** The protocol versions enabled, e.g. TLSv1.3 and TLSv1.2. */
    public List<String> protocols() {
        return protocols;
    }

    /** The cipher suites enabled, the server's preferred first. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** Which host name gets which certificate, or {@code null} when every name gets the one. */
    HostCertificates hosts() {
        return hosts;
    }

    /**
     * A server-side engine for one connection. Any thread.
     *
     * @param http2 whether to offer {@code h2} by ALPN before {@code http/1.1}
     */
    SSLEngine newEngine(boolean http2) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(http2 ? parametersH2 : parameters);
        return engine;
    }
}
