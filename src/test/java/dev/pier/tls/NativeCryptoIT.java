package dev.pier.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.Executables;
import dev.pier.PackagedJar;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS from the packaged jar with each of its cryptographies: Amazon Corretto Crypto Provider
 * (the default), the JDK's own providers after the native library failed to load, and the JDK's by
 * {@code pier.tls.native-crypto=false}. Each is a JVM of its own, since the provider is installed
 * for the whole JVM, and in the test JVM {@link TestCertificates} has already installed it. The
 * first two serve a random file whole over HTTP/2 and HTTP/1.1 (AES-GCM records both ways) and
 * resume a TLS 1.3 session with {@code openssl s_client}, where that is installed; the last case
 * checks {@code pier.tls.session-timeout}. Runs under Failsafe, after {@code package} has built the jar.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NativeCryptoIT {

    private static final int FILE_SIZE = 8 * 1024 * 1024;
    private static final String NATIVE = "TLS uses native cryptography: AmazonCorrettoCryptoProvider ";
    private static final String JDK = "TLS uses the JDK's own cryptography, X25519 from Bouncy Castle: the native provider could not load (";
    private static final String REQUEST = "GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    @TempDir
    static Path files;

    private static Path jar;
    private static Path documentRoot;
    private static Path tls;
    private static String expectedSha256;
    private static HttpClient http2;
    private static HttpClient http11;

    @TempDir
    Path logs;

    private Process process;
    private Path log;
    private int clients;

    /** 8 MiB of seeded pseudo-random bytes, and the certificate as the PEM files of a Spring Boot SSL bundle. */
    @BeforeAll
    static void writeSiteAndCertificate() throws IOException, GeneralSecurityException {
        String packaged = System.getProperty(PackagedJar.PROPERTY);
        assumeTrue(packaged != null, "runs under Failsafe, after package has built the jar");
        jar = Path.of(packaged);
        documentRoot = Files.createDirectory(files.resolve("site"));
        byte[] bytes = new byte[FILE_SIZE];
        new SplittableRandom(42).nextBytes(bytes);
        Files.write(documentRoot.resolve("large.bin"), bytes);
        expectedSha256 = sha256(bytes);
        Files.writeString(documentRoot.resolve("index.html"), "<h1>native</h1>");
        // Beside the document root, not in it: the private key is not for serving.
        tls = Files.createDirectory(files.resolve("tls"));
        TestCertificates certificate = TestCertificates.named("native-crypto-it");
        certificate.writePem(tls);
        http2 = client(certificate, HttpClient.Version.HTTP_2);
        http11 = client(certificate, HttpClient.Version.HTTP_1_1);
    }

    @AfterEach
    void killProcess() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void whenTheNativeLibraryLoadsThenItIsLoggedOnceAndHttpsServesAndResumesWithIt() throws Exception {
        int port = start(List.of());

        assertThat(count(NATIVE)).as("native cryptography log lines in:%n%s", output()).isEqualTo(1);
        assertThat(output()).containsPattern(Pattern.quote(NATIVE) + "\\d+\\.\\d+\\.\\d+ \\(AWS-LC .*\\), X25519 from Bouncy Castle");
        assertThat(output()).doesNotContain(JDK);
        assertServesLargeFile(port);
        assertResumesTls13(port, Duration.ofDays(1));
    }

    /**
     * ACCP extracts its library into a folder it makes under this property's path, making any
     * missing parents, so a file stands there instead and the load fails, as it does on a
     * {@code noexec} /tmp, which a test cannot mount (a folder without write permission would not
     * do: root writes there all the same).
     */
    @Test
    void whenTheNativeLibraryCannotLoadThenTheJdkProvidersServeAndResumeAfterOneLogLine() throws Exception {
        Path notAFolder = Files.createFile(logs.resolve("not-a-folder"));
        int port = start(List.of("-Dcom.amazon.corretto.crypto.provider.tmpdir=" + notAFolder));

        assertThat(count(JDK)).as("JDK cryptography log lines in:%n%s", output()).isEqualTo(1);
        assertThat(output()).doesNotContain("TLS uses native cryptography");
        assertServesLargeFile(port);
        assertResumesTls13(port, Duration.ofDays(1));
    }

    @Test
    void whenNativeCryptoIsOffThenNothingIsInstalledOrLoggedAndHttpsServes() throws Exception {
        int port = start(List.of(), "--pier.tls.native-crypto=false");

        assertThat(output()).doesNotContain("TLS uses native cryptography").doesNotContain("TLS uses the JDK's own cryptography");
        HttpResponse<String> index = http2.send(get(port, "/index.html"), HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(index.body()).isEqualTo("<h1>native</h1>");
    }

    /**
     * A TLS 1.3 ticket carries the timeout as its lifetime, and a TLS 1.2 session resumed by id
     * (no ticket) is refused once it has passed. A ticket's expiry is not checked here: the JDK 17
     * server takes a stateless ticket for as long as it keeps the key that sealed it (an hour by
     * default, plus the timeout), and OpenSSL's client drops one a second or two after its lifetime.
     */
    @Test
    void whenTheSessionTimeoutIsShortThenTicketsCarryItAndSessionsCachedByIdExpireAfterIt() throws Exception {
        String openssl = Executables.find("openssl");
        assumeTrue(openssl != null, "openssl not on the PATH");
        int port = start(List.of(), "--pier.tls.session-timeout=2s");

        assertResumesTls13(port, Duration.ofSeconds(2));

        String session = logs.resolve("tls12-session.pem").toString();
        long started = System.nanoTime();
        assertThat(sClient(port, "-tls1_2", "-no_ticket", "-sess_out", session)).contains("New, TLSv1.2");
        assertThat(sClient(port, "-tls1_2", "-no_ticket", "-sess_in", session)).contains("Reused, TLSv1.2");
        await("the cached session to expire").atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(250))
                .until(() -> sClient(port, "-tls1_2", "-no_ticket", "-sess_in", session).contains("New, TLSv1.2"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("time until the session was refused")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    /** The large file whole, over HTTP/2 (ALPN h2) and over HTTP/1.1, each on a connection of its own. */
    private void assertServesLargeFile(int port) throws IOException, InterruptedException, NoSuchAlgorithmException {
        for (HttpClient client : List.of(http2, http11)) {
            HttpResponse<byte[]> response = client.send(get(port, "/large.bin"), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(client.version());
            assertThat(response.body()).hasSize(FILE_SIZE);
            assertThat(sha256(response.body())).as("SHA-256 over %s", client.version()).isEqualTo(expectedSha256);
        }
    }

    /**
     * A full TLS 1.3 handshake whose ticket is saved, then one that resumes with it. The first
     * client sends a request and reads the response to the close, so the ticket, sent after the
     * handshake, has arrived before it exits.
     */
    private void assertResumesTls13(int port, Duration lifetime) throws IOException, InterruptedException {
        assumeTrue(Executables.find("openssl") != null, "openssl not on the PATH: HTTPS was checked, resumption is not");
        String session = logs.resolve("tls13-session.pem").toString();
        assertThat(sClient(port, "-tls1_3", "-sess_out", session)).contains("New, TLSv1.3")
                .contains("TLS session ticket lifetime hint: " + lifetime.toSeconds() + " (seconds)");
        assertThat(sClient(port, "-tls1_3", "-sess_in", session)).contains("Reused, TLSv1.3");
    }

    /** {@code openssl s_client}, verifying the certificate, that sends one request and returns its output once the server has closed. */
    private String sClient(int port, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Executables.find("openssl"), "s_client", "-connect", "localhost:" + port,
                "-servername", "localhost", "-CAfile", tls.resolve("cert.pem").toString(), "-verify_return_error", "-ign_eof"));
        command.addAll(List.of(options));
        Path out = logs.resolve("s_client-" + ++clients + ".txt");
        Process client = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try (OutputStream in = client.getOutputStream()) {
            in.write(REQUEST.getBytes(StandardCharsets.US_ASCII));
        }
        boolean exited = client.waitFor(15, TimeUnit.SECONDS);
        client.destroyForcibly();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(exited).as("openssl s_client exited; its output:%n%s", output).isTrue();
        assertThat(client.exitValue()).as("openssl s_client's exit status; its output:%n%s", output).isZero();
        assertThat(output).contains("HTTP/1.1 200 OK");
        return output;
    }

    /** Starts the jar over HTTPS on a free port and returns the port it logged. */
    private int start(List<String> jvmOptions, String... args) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("--pier.document-root=" + documentRoot, "--server.ssl.bundle=web",
                "--spring.ssl.bundle.pem.web.keystore.certificate=file:" + tls.resolve("cert.pem"),
                "--spring.ssl.bundle.pem.web.keystore.private-key=file:" + tls.resolve("key.pem")));
        arguments.addAll(List.of(args));
        log = logs.resolve("pier.log");
        PackagedJar pier = PackagedJar.start(jar, log, jvmOptions, arguments);
        process = pier.process();
        return pier.port();
    }

    private String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private long count(String text) throws IOException {
        return output().lines().filter(line -> line.contains(text)).count();
    }

    private static HttpClient client(TestCertificates trusted, HttpClient.Version version) {
        return HttpClient.newBuilder().sslContext(TestCertificates.trusting(trusted)).version(version)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpRequest get(int port, String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).timeout(Duration.ofSeconds(20)).build();
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
