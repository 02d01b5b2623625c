package dev.pier.config;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Security;
import lombok.extern.slf4j.Slf4j;

/**
 * Puts Amazon Corretto Crypto Provider (AWS-LC, native code) ahead of the JDK's providers, so TLS
 * handshakes sign, agree keys and encrypt records in assembly rather than in Java: the JDK's
 * ECDSA signature alone costs about 30 times AWS-LC's. JSSE keeps running TLS; only the
 * primitives it asks the JCA for change hands. Where the native library cannot load (another OS or
 * architecture, a {@code noexec} temporary folder), nothing is installed and the JDK's providers
 * serve, after one log line.
 */
@Slf4j
public final class NativeCrypto {

    private NativeCrypto() {
    }

    /** Installs the provider once per JVM; returns whether it is in place. */
    public static synchronized boolean install() {
        if (Security.getProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME) != null) {
            return true;
        }
        try {
            Throwable failure = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
            if (failure != null) {
                log.info("TLS uses the JDK's own cryptography: the native provider could not load ({})", failure.toString());
                return false;
            }
            AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
            AmazonCorrettoCryptoProvider.install();
            log.info("TLS uses native cryptography: {} {} (AWS-LC {})", AmazonCorrettoCryptoProvider.PROVIDER_NAME,
                    AmazonCorrettoCryptoProvider.INSTANCE.getVersionStr(), AmazonCorrettoCryptoProvider.INSTANCE.getAwsLcVersionStr());
            return true;
        } catch (LinkageError | RuntimeException e) {
            log.info("TLS uses the JDK's own cryptography: the native provider could not load ({})", e.toString());
            return false;
        }
    }
}
