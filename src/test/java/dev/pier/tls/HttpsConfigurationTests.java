package dev.pier.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.pier.RawHttp;
import dev.pier.config.PierAutoConfiguration;
import dev.pier.config.PortInUseException;
import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * HTTPS configured the Spring Boot way: {@code server.ssl.bundle} naming a PEM or JKS bundle, its
 * options, {@code reload-on-update}, and Pier's {@code pier.hsts} and {@code pier.http-redirect-port}.
 */
class HttpsConfigurationTests {

    @TempDir
    Path site;

    @TempDir
    Path certificates;

    private ApplicationContextRunner runner;

    @BeforeEach
    void createSiteAndCertificate() throws Exception {
        Files.writeString(site.resolve("index.html"), "<h1>secure</h1>");
        TestCertificates.named("first").writePem(certificates);
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, PierAutoConfiguration.class))
                .withPropertyValues("server.port=0", "server.address=127.0.0.1", "pier.document-root=" + site, "pier.event-loops=1",
                        "pier.worker-threads=1");
    }

    private String[] pemBundle(String... more) {
        String[] base = {
            "server.ssl.bundle=web",
            "spring.ssl.bundle.pem.web.keystore.certificate=file:" + certificates.resolve("cert.pem"),
            "spring.ssl.bundle.pem.web.keystore.private-key=file:" + certificates.resolve("key.pem"),
        };
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void whenAPemBundleIsNamedThenTheApplicationsPortSpeaksHttpsWithItsCertificate() {
        runner.withPropertyValues(pemBundle()).run(context -> {
            assertThat(context).hasNotFailed();
            int port = port(context, "local.server.port");
            HttpResponse<String> response = client(TestCertificates.named("first")).send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/index.html")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("<h1>secure</h1>");
            assertThat(response.sslSession().orElseThrow().getPeerCertificates()[0]).isEqualTo(TestCertificates.named("first").certificate());
            assertThat(response.headers().firstValue("Strict-Transport-Security")).as("none unless configured").isEmpty();
        });
    }

    @Test
    void whenAJksBundleIsNamedThenItsKeyStoreServes() {
        TestCertificates first = TestCertificates.named("first");
        runner.withPropertyValues("server.ssl.bundle=store", "spring.ssl.bundle.jks.store.keystore.location=file:" + first.keyStoreFile(),
                "spring.ssl.bundle.jks.store.keystore.password=changeit", "spring.ssl.bundle.jks.store.keystore.type=PKCS12").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(peerCertificate(first, port(context, "local.server.port"), null)).isEqualTo(first.certificate());
                });
    }

    @Test
    void whenSslIsDisabledThenThePortSpeaksPlainHttpWhateverTheBundle() {
        runner.withPropertyValues(pemBundle("server.ssl.enabled=false")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(RawHttp.get(port(context, "local.server.port"), "/index.html").status()).isEqualTo(200);
        });
    }

    @Test
    void whenTheBundleNamesProtocolsAndCiphersThenOnlyThoseAreOffered() {
        String suite = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
        runner.withPropertyValues(pemBundle("spring.ssl.bundle.pem.web.options.enabled-protocols=TLSv1.2",
                "spring.ssl.bundle.pem.web.options.ciphers=" + suite)).run(context -> {
                    assertThat(context).hasNotFailed();
                    int port = port(context, "local.server.port");
                    try (SSLSocket socket = connect(TestCertificates.named("first"), port, null)) {
                        assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
                        assertThat(socket.getSession().getCipherSuite()).isEqualTo(suite);
                    }
                    assertThatExceptionOfType(SSLHandshakeException.class)
                            .isThrownBy(() -> connect(TestCertificates.named("first"), port, new String[] {"TLSv1.3"}).close());
                });
    }

    @Test
    void whenTheBundleNamesAnUnknownProtocolThenStartupSaysWhich() {
        runner.withPropertyValues(pemBundle("spring.ssl.bundle.pem.web.options.enabled-protocols=TLSv9")).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("TLSv9");
        });
    }

    @Test
    void whenTheNamedBundleDoesNotExistThenStartupFails() {
        runner.withPropertyValues("server.ssl.bundle=missing").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(NoSuchSslBundleException.class).hasMessageContaining("missing");
        });
    }

    @Test
    void whenHstsAndARedirectPortAreSetThenHttpsResponsesCarryHstsAndThePlainPortRedirects() {
        runner.withPropertyValues(pemBundle("pier.hsts=max-age=31536000; includeSubDomains", "pier.http-redirect-port=0")).run(context -> {
            assertThat(context).hasNotFailed();
            int port = port(context, "local.server.port");
            int redirectPort = port(context, "local.http-redirect.port");
            HttpResponse<String> response = client(TestCertificates.named("first")).send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000; includeSubDomains");
            try (RawClient plain = RawClient.connect(redirectPort)) {
                RawResponse redirect = plain.send("GET /index.html?a=b HTTP/1.1\r\nHost: localhost:" + redirectPort + "\r\n\r\n").read();
                assertThat(redirect.status()).isEqualTo(301);
                assertThat(redirect.header("Location")).isEqualTo("https://localhost:" + port + "/index.html?a=b");
                assertThat(redirect.header("Strict-Transport-Security")).isNull();
            }
        });
    }

    @Test
    void whenTheRedirectPortIsInUseThenStartupFailsNamingTheRedirectPortSetting() throws IOException {
        try (ServerSocket busy = new ServerSocket(0)) {
            runner.withPropertyValues(pemBundle("pier.http-redirect-port=" + busy.getLocalPort())).run(context -> {
                assertThat(context).hasFailed();
                PortInUseException inUse = causeOf(context.getStartupFailure(), PortInUseException.class);
                assertThat(inUse).as("the startup failure's causes").isNotNull();
                assertThat(inUse.port()).isEqualTo(busy.getLocalPort());
                assertThat(inUse.property()).isEqualTo("pier.http-redirect-port");
                assertThat(inUse.getCause()).hasMessageContaining("http redirect listener");
            });
        }
    }

    private static <T extends Throwable> T causeOf(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    @Test
    void whenARedirectPortIsSetWithoutHttpsThenStartupFailsNamingTheKey() {
        runner.withPropertyValues("pier.http-redirect-port=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("pier.http-redirect-port");
        });
    }

    @Test
    void whenHstsLacksMaxAgeThenBindingFails() {
        runner.withPropertyValues(pemBundle("pier.hsts=includeSubDomains")).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(BindValidationException.class).hasMessageContaining("max-age");
        });
    }

    /**
     * Boot watches the bundle's files; once they change and stay quiet for the quiet period, it
     * reloads the bundle and Pier's update handler swaps the context new connections use. A
     * connection opened before keeps its session.
     */
    @Test
    void whenTheCertificateFilesChangeThenNewConnectionsGetTheNewCertificate() {
        TestCertificates first = TestCertificates.named("first");
        TestCertificates second = TestCertificates.named("second");
        runner.withPropertyValues(pemBundle("spring.ssl.bundle.pem.web.reload-on-update=true", "spring.ssl.bundle.watch.file.quiet-period=200ms"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    int port = port(context, "local.server.port");
                    try (SSLSocket before = connect(first, port, null)) {
                        assertThat(before.getSession().getPeerCertificates()[0]).isEqualTo(first.certificate());
                        second.writePem(certificates);
                        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                                assertThat(peerCertificate(first, second, port)).isEqualTo(second.certificate()));
                        RawResponse response = RawClient.over(before).send(RawClient.get("/index.html")).read();
                        assertThat(response.status()).as("the connection opened before goes on").isEqualTo(200);
                        assertThat(before.getSession().getPeerCertificates()[0]).isEqualTo(first.certificate());
                    }
                });
    }

    private static int port(AssertableApplicationContext context, String property) {
        return context.getEnvironment().getRequiredProperty(property, Integer.class);
    }

    private static HttpClient client(TestCertificates trusted) {
        return HttpClient.newBuilder().sslContext(TestCertificates.trusting(trusted)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static X509Certificate peerCertificate(TestCertificates trusted, int port, String[] protocols) throws IOException {
        try (SSLSocket socket = connect(trusted, port, protocols)) {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static X509Certificate peerCertificate(TestCertificates trusted, TestCertificates alsoTrusted, int port) throws IOException {
        try (SSLSocket socket = connect(TestCertificates.trusting(trusted, alsoTrusted), port, null)) {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static SSLSocket connect(TestCertificates trusted, int port, String[] protocols) throws IOException {
        return connect(TestCertificates.trusting(trusted), port, protocols);
    }

    private static SSLSocket connect(SSLContext context, int port, String[] protocols) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket(new Socket(InetAddress.getLoopbackAddress(), port), "127.0.0.1", port, true);
        socket.setSoTimeout(5_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (protocols != null) {
            parameters.setProtocols(protocols);
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }
}
