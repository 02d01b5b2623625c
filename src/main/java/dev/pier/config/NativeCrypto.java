package dev.pier.config;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Security;
import lombok.extern.slf4j.Slf4j;

/**
 * Puts faster cryptography ahead of the JDK's providers for the whole JVM, so TLS handshakes and
 * records cost less CPU: Amazon Corretto Crypto Provider (AWS-LC, native code) signs, agrees P-256
 * keys and encrypts AES-GCM records in assembly (the JDK's ECDSA signature alone costs about 30
 * times AWS-LC's), and {@link X25519Provider} does the X25519 key exchange every modern client
 * asks for, which ACCP lacks, in half the JDK's time. JSSE keeps running TLS; only the primitives it
 * asks the JCA for change hands. Where the native library cannot load (another OS or architecture,
 * a {@code noexec} temporary folder), the JDK's providers serve all but X25519, after one log line.
 */
@Slf4j
public final class NativeCrypto {

    private NativeCrypto() {
    }

    /** Installs the providers once per JVM. */
    public static synchronized void install() {
        if (Security.getProvider(X25519Provider.NAME) == null) {
            Security.insertProviderAt(new X25519Provider(), 1);
        }
        if (Security.getProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME) != null) {
            return;
        }
        Throwable failure;
        try {
            failure = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
            if (failure == null) {
                AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
                // Second, after X25519: the one algorithm both would answer for is X25519's, which ACCP does not have.
                Security.insertProviderAt(AmazonCorrettoCryptoProvider.INSTANCE, 2);
                log.info("TLS uses native cryptography: {} {} (AWS-LC {}), X25519 from Bouncy Castle", AmazonCorrettoCryptoProvider.PROVIDER_NAME,
                        AmazonCorrettoCryptoProvider.INSTANCE.getVersionStr(), AmazonCorrettoCryptoProvider.INSTANCE.getAwsLcVersionStr());
                return;
            }
        } catch (LinkageError | RuntimeException e) {
            failure = e;
        }
        log.info("TLS uses the JDK's own cryptography, X25519 from Bouncy Castle: the native provider could not load ({})", failure.toString());
    }
}
