package dev.pier.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.Executables;
import dev.pier.config.PierAutoConfiguration;
import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import dev.pier.test.H2Peer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code pier.hosts[n].ssl-bundle} over real TLS sockets: each host's certificate by SNI (the
 * JDK's client, openssl), the default one for no SNI, unknown names and hosts without a bundle;
 * ALPN still choosing h2; 421 for a request whose host gets another certificate than the SNI
 * chose, over HTTP/1.1 and HTTP/2; no session resumed under another host's name; curl end to end;
 * and the startup mistakes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HostCertificatesOverSocketTests {

    private static final TestCertificates DEFAULT = TestCertificates.named("default.test");
    private static final TestCertificates A = TestCertificates.named("a.test");
    private static final TestCertificates B = TestCertificates.named("b.test");

    @TempDir
    Path base;

    private ApplicationContextRunner runner;

    @BeforeEach
    void sitesAndBundles() throws Exception {
        List<String> properties = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1", "pier.event-loops=1",
                "pier.worker-threads=1", "pier.document-root=" + site("default"), "server.ssl.bundle=web"));
        properties.addAll(bundle("web", DEFAULT));
        properties.addAll(bundle("a", A));
        properties.addAll(bundle("b", B));
        properties.addAll(List.of(
                "pier.hosts[0].names=a.test", "pier.hosts[0].document-root=" + site("a"), "pier.hosts[0].ssl-bundle=a",
                "pier.hosts[1].names=b.test,*.b.test", "pier.hosts[1].document-root=" + site("b"), "pier.hosts[1].ssl-bundle=b",
                "pier.hosts[2].names=c.test", "pier.hosts[2].document-root=" + site("c"),
                "pier.hosts[3].names=also-a.test", "pier.hosts[3].document-root=" + site("also-a"), "pier.hosts[3].ssl-bundle=a"));
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, PierAutoConfiguration.class))
                .withPropertyValues(properties.toArray(String[]::new));
    }

    private String site(String name) throws IOException {
        Path root = Files.createDirectories(base.resolve(name));
        Files.writeString(root.resolve("index.html"), name + " home");
        return root.toString();
    }

    private List<String> bundle(String name, TestCertificates certificates) throws Exception {
        Path dir = Files.createDirectories(base.resolve("bundle-" + name));
        certificates.writePem(dir);
        return List.of("spring.ssl.bundle.pem." + name + ".keystore.certificate=file:" + dir.resolve("cert.pem"),
                "spring.ssl.bundle.pem." + name + ".keystore.private-key=file:" + dir.resolve("key.pem"));
    }

    @ParameterizedTest
    @CsvSource({"a.test, CN=a.test", "A.Test, CN=a.test", "also-a.test, CN=a.test", "b.test, CN=b.test", "x.y.b.test, CN=b.test",
        "c.test, CN=default.test", "unknown.test, CN=default.test", ", CN=default.test"})
    void whenAClientNamesAHostBySniThenItGetsThatHostsCertificate(String serverName, String subject) {
        runner.run(context -> {
            try (SSLSocket socket = connect(port(context), serverName, null)) {
                X509Certificate certificate = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo(subject);
            }
        });
    }

    @Test
    void whenAClientOffersH2ByAlpnToAHostWithItsOwnCertificateThenH2IsChosen() {
        runner.run(context -> {
            try (SSLSocket socket = connect(port(context), "b.test", new String[] {"h2", "http/1.1"})) {
                assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
                assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(B.certificate());
            }
        });
    }

    @Test
    void whenAnHttp1RequestNamesAHostOfAnotherCertificateThanItsSniThenItIsMisdirected() {
        runner.run(context -> {
            int port = port(context);
            try (RawClient client = RawClient.over(connect(port, "a.test", null))) {
                RawResponse misdirected = client.send("GET / HTTP/1.1\r\nHost: b.test\r\n\r\n").read();
                assertThat(misdirected.status()).isEqualTo(421);
                assertThat(misdirected.bodyText()).contains("not for that host");
                assertThat(status(client, "unknown.test")).as("the default certificate's").isEqualTo(421);
                RawResponse same = client.send("GET / HTTP/1.1\r\nHost: a.test:" + port + "\r\n\r\n").read();
                assertThat(same.status()).as("the same connection goes on").isEqualTo(200);
                assertThat(same.bodyText()).isEqualTo("a home");
                assertThat(status(client, "also-a.test")).as("a host of the same bundle").isEqualTo(200);
                RawResponse posted = client.send("POST /upload HTTP/1.1\r\nHost: b.test\r\nContent-Length: 3\r\n\r\nabc").read();
                assertThat(posted.status()).as("with a body").isEqualTo(421);
            }
            try (RawClient client = RawClient.over(connect(port, "c.test", null))) {
                assertThat(status(client, "unknown.test")).as("both get the default certificate").isEqualTo(200);
                assertThat(status(client, "a.test")).isEqualTo(421);
            }
            try (RawClient client = RawClient.over(connect(port, null, null))) {
                assertThat(status(client, "b.test")).as("no SNI, no certificate was chosen for a host").isEqualTo(200);
            }
        });
    }

    @Test
    void whenAnHttp2StreamNamesAHostOfAnotherCertificateThanItsSniThenItIsMisdirected() {
        runner.run(context -> {
            try (H2Peer peer = H2Peer.connectTls(port(context), TestCertificates.trusting(DEFAULT, A, B), "a.test", List.of())) {
                peer.get(1, "/", "b.test");
                peer.get(3, "/", "a.test");
                peer.get(5, "/", "also-a.test");
                peer.get(7, "/", "c.test");
                H2Peer.Response misdirected = peer.response(1, Duration.ofSeconds(10));
                assertThat(misdirected.status()).isEqualTo(421);
                assertThat(new String(misdirected.body(), StandardCharsets.UTF_8)).contains("not for that host");
                assertThat(new String(peer.response(3, Duration.ofSeconds(10)).body(), StandardCharsets.UTF_8)).isEqualTo("a home");
                assertThat(new String(peer.response(5, Duration.ofSeconds(10)).body(), StandardCharsets.UTF_8)).isEqualTo("also-a home");
                assertThat(peer.response(7, Duration.ofSeconds(10)).status()).isEqualTo(421);
            }
        });
    }

    /**
     * JSSE resumes a session only under the server name it began with, once the server has an SNI
     * matcher: a session of a.test's certificate offered for b.test gives a full handshake and
     * b.test's certificate, never a.test's certificate under b.test's name.
     */
    @ParameterizedTest
    @CsvSource({"-tls1_2", "-tls1_3"})
    void whenASessionOfOneHostIsOfferedForAnotherThenItIsNotResumed(String version) {
        String openssl = Executables.find("openssl");
        assumeTrue(openssl != null, "openssl is not installed");
        runner.run(context -> {
            int port = port(context);
            Path session = base.resolve("session" + version + ".pem");
            String first = sClient(openssl, port, version, "a.test", "-sess_out", session.toString());
            assertThat(first).contains("subject=CN = a.test").contains("New, TLS");
            assertThat(sClient(openssl, port, version, "a.test", "-sess_in", session.toString()))
                    .as("resumed under its own name").contains("Reused, TLS");
            assertThat(sClient(openssl, port, version, "b.test", "-sess_in", session.toString()))
                    .contains("New, TLS").doesNotContain("Reused").contains("subject=CN = b.test");
        });
    }

    @Test
    void whenCurlResolvesEachHostToTheServerThenEachGetsItsSiteAndAMismatchIs421() {
        String curl = Executables.find("curl");
        assumeTrue(curl != null, "curl is not installed");
        runner.run(context -> {
            int port = port(context);
            Path trust = base.resolve("trust.pem");
            Files.writeString(trust, pem(DEFAULT) + pem(A) + pem(B));
            List<String> common = List.of(curl, "-sS", "--max-time", "20", "--cacert", trust.toString(), "--resolve", "a.test:" + port + ":127.0.0.1",
                    "--resolve", "b.test:" + port + ":127.0.0.1", "-w", " %{http_code} %{http_version}");
            // The test certificates name localhost, not the hosts: curl checks the chain, and the subject is checked above.
            assertThat(run(common, "-k", "--http2", "https://a.test:" + port + "/")).isEqualTo("a home 200 2");
            assertThat(run(common, "-k", "--http1.1", "https://b.test:" + port + "/")).isEqualTo("b home 200 1.1");
            assertThat(run(common, "-k", "--http2", "-H", "Host: b.test", "https://a.test:" + port + "/")).startsWith("<").endsWith(" 421 2");
            assertThat(run(common, "-k", "--http1.1", "-H", "Host: b.test", "https://a.test:" + port + "/")).endsWith(" 421 1.1");
        });
    }

    @Test
    void whenAHostNamesAnUnknownBundleThenStartupSaysWhichKey() {
        runner.withPropertyValues("pier.hosts[1].ssl-bundle=missing").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("pier.hosts[1].ssl-bundle")
                    .hasMessageContaining("There is no SSL bundle named missing: define it under spring.ssl.bundle.pem.missing or spring.ssl.bundle.jks.missing.");
        });
    }

    @Test
    void whenAHostNamesABundleWhileHttpsIsOffThenStartupSaysSo() {
        runner.withPropertyValues("server.ssl.enabled=false").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("pier.hosts[0].ssl-bundle")
                    .hasMessageContaining("A host's own certificate needs HTTPS: name the default SSL bundle in server.ssl.bundle, or remove pier.hosts[0].ssl-bundle.");
        });
    }

    private static int status(RawClient client, String host) throws IOException {
        return client.send("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read().status();
    }

    private static int port(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    /**
     * A TLS connection with that SNI name, or none; trusting the three certificates. A client
     * context of its own each time: the JDK's client caches sessions by address and port, and
     * resuming one sends the SNI it began with, whatever this connection asks for.
     */
    private static SSLSocket connect(int port, String serverName, String[] applicationProtocols) throws IOException {
        SSLSocket socket = (SSLSocket) TestCertificates.trusting(DEFAULT, A, B).getSocketFactory().createSocket(new Socket(InetAddress.getLoopbackAddress(), port), "127.0.0.1", port, true);
        socket.setSoTimeout(5_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        if (applicationProtocols != null) {
            parameters.setApplicationProtocols(applicationProtocols);
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static String sClient(String openssl, int port, String version, String serverName, String... session) throws Exception {
        List<String> command = new ArrayList<>(List.of(openssl, "s_client", "-connect", "127.0.0.1:" + port, "-servername", serverName, version,
                "-ign_eof"));
        command.addAll(List.of(session));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // A request, so a TLS 1.3 session ticket (sent after the handshake) is read before the output is saved.
        process.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + serverName + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("openssl finished: %s", output).isTrue();
        return output;
    }

    private static String run(List<String> common, String... args) throws Exception {
        List<String> command = new ArrayList<>(common);
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("curl finished: %s", output).isTrue();
        return output;
    }

    private static String pem(TestCertificates certificates) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificates.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
