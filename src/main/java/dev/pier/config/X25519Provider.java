package dev.pier.config;

import java.security.Provider;

/**
 * X25519 key exchange from Bouncy Castle, twice as fast as the JDK's (about 100 µs against 200 µs
 * for a key pair and an agreement here), under the JCA names JSSE asks for; nothing else of Bouncy
 * Castle is registered, so every other algorithm stays where it was. Every TLS 1.3 handshake from
 * OpenSSL, curl or a browser uses X25519, and the native provider has none.
 */
final class X25519Provider extends Provider {

    static final String NAME = "PierX25519";
    private static final String EDEC = "org.bouncycastle.jcajce.provider.asymmetric.edec.";

    X25519Provider() {
        super(NAME, "1.0", "X25519 key exchange (Bouncy Castle)");
        for (String name : new String[] {"XDH", "X25519"}) {
            putService(new Service(this, "KeyPairGenerator", name, EDEC + "KeyPairGeneratorSpi$" + name, null, null));
            putService(new Service(this, "KeyAgreement", name, EDEC + "KeyAgreementSpi$" + name, null, null));
            putService(new Service(this, "KeyFactory", name, EDEC + "KeyFactorySpi$" + name, null, null));
        }
    }
}
