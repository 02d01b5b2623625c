package dev.pier.tls;

import dev.pier.config.NativeCrypto;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates for tests, made by the JDK's own {@code keytool} (EC P-256, valid for
 * {@code localhost} and {@code 127.0.0.1}), once per name and JVM, and written out as the PEM
 * files a Spring Boot SSL bundle reads.
 *
 * <p>Loading this class installs the native crypto provider, as the application does by default
 * ({@code pier.tls.native-crypto}), so every TLS test in the JVM runs the production path whichever
 * test runs first; {@code NativeCryptoIT} covers the JDK's own providers, in a JVM of their own.
 */
public final class TestCertificates {

    static {
        NativeCrypto.install();
    }

    static final char[] PASSWORD = "changeit".toCharArray();

    private static final Map<String, TestCertificates> MADE = new ConcurrentHashMap<>();

    private final KeyStore keyStore;
    private final Path keyStoreFile;
    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private TestCertificates(Path keyStoreFile) throws IOException, GeneralSecurityException {
        this.keyStoreFile = keyStoreFile;
        this.keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            keyStore.load(in, PASSWORD);
        }
        this.certificate = (X509Certificate) keyStore.getCertificate("pier");
        this.privateKey = (PrivateKey) keyStore.getKey("pier", PASSWORD);
    }

    /** The certificate with subject {@code CN=<name>}; made on first use. */
    public static TestCertificates named(String name) {
        return MADE.computeIfAbsent(name, TestCertificates::make);
    }

    private static TestCertificates make(String name) {
        try {
            Path dir = Files.createTempDirectory("pier-tls-" + name);
            dir.toFile().deleteOnExit();
            Path store = dir.resolve(name + ".p12");
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "pier", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=" + name, "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                    .redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            store.toFile().deleteOnExit();
            return new TestCertificates(store);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    KeyStore keyStore() {
        return keyStore;
    }

    Path keyStoreFile() {
        return keyStoreFile;
    }

    /** Writes {@code cert.pem} and {@code key.pem} (PKCS#8) into the folder, replacing any there. */
    public void writePem(Path dir) throws IOException, GeneralSecurityException {
        // Both within a file watcher's quiet period, so a watching bundle reloads once, with the new pair.
        Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", privateKey.getEncoded()));
        Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", certificate.getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A client context that trusts these certificates and no others. */
    public static SSLContext trusting(TestCertificates... trusted) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (TestCertificates each : trusted) {
                trust.setCertificateEntry(each.certificate.getSubjectX500Principal().getName(), each.certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
