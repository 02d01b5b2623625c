package dev.pier.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import dev.pier.server.ServerSettings;
import dev.pier.server.ServerStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the TLS port turns away, and how: old protocols, plain HTTP, garbage, foreign ALPN, renegotiation, stalled handshakes. */
class TlsRefusalsOverSocketTest {

    /** TLS alert descriptions (RFC 8446 §6). */
    private static final int PROTOCOL_VERSION = 70;

    @TempDir
    Path site;

    @BeforeEach
    void createSite() throws IOException {
        Files.writeString(site.resolve("index.html"), "<h1>secure</h1>");
    }

    /**
     * The JDK's own client refuses TLS 1.1 before it sends anything (it is disabled in
     * {@code java.security}), so the ClientHello is written by hand: version 1.1, no
     * supported_versions extension, CBC suites of that era.
     */
    @Test
    void whenClientHelloOffersOnlyTls11ThenTheServerAnswersProtocolVersionAndCloses() throws Exception {
        try (TlsServer server = TlsServer.start(site); Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(tls11ClientHello());
            byte[] answer = socket.getInputStream().readAllBytes();
            assertThat(answer).hasSizeGreaterThanOrEqualTo(7);
            assertThat(answer[0]).as("content type: alert").isEqualTo((byte) 21);
            assertThat(answer[5]).as("level: fatal").isEqualTo((byte) 2);
            assertThat(answer[6]).as("description").isEqualTo((byte) PROTOCOL_VERSION);
        }
    }

    @Test
    void whenPlainHttpComesToTheTlsPortThenAPlainTextBadRequestSaysSoAndTheConnectionCloses() throws Exception {
        try (TlsServer server = TlsServer.start(site); RawClient client = RawClient.connect(server.port())) {
            RawResponse response = client.send(RawClient.get("/index.html")).read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.bodyText()).contains("The plain HTTP request was sent to HTTPS port");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(response.header("Strict-Transport-Security")).isNull();
            assertThat(client.isClosedByServer()).isTrue();
            assertThat(server.server().stats().rejected(400)).isEqualTo(1);
        }
    }

    @Test
    void whenBytesAreNeitherTlsNorHttpThenTheConnectionIsClosed() throws Exception {
        try (TlsServer server = TlsServer.start(site); RawClient client = RawClient.connect(server.port())) {
            client.send(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f});
            assertThat(readToEnd(client.socket().getInputStream())).as("an alert at most").hasSizeLessThanOrEqualTo(7);
            assertThat(server.get("/index.html").statusCode()).as("the server goes on").isEqualTo(200);
        }
    }

    @Test
    void whenHttp2IsOffAndClientOffersOnlyH2ThenTheHandshakeFails() throws Exception {
        try (TlsServer server = TlsServer.start(TlsServer.settings(TlsServer.tls(null, -1)).withHttp2(null), site)) {
            assertThatExceptionOfType(SSLHandshakeException.class).isThrownBy(() -> server.connect(null, "h2").close())
                    .withMessageContaining("no_application_protocol");
        }
    }

    @Test
    void whenTls12ClientRenegotiatesThenTheServerClosesTheConnection() throws Exception {
        try (TlsServer server = TlsServer.start(site); SSLSocket socket = server.connect(new String[] {"TLSv1.2"})) {
            RawClient client = RawClient.over(socket);
            assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
            assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
                socket.startHandshake();
                client.send(RawClient.get("/index.html")).read();
            });
            assertThat(server.get("/index.html").statusCode()).as("the server goes on").isEqualTo(200);
        }
    }

    @Test
    void whenAHandshakeStallsThenTheConnectionClosesAfterTheHeaderTimeout() throws Exception {
        ServerSettings settings = TlsServer.settings(TlsServer.tls(null, -1))
                .withTimeouts(new ServerSettings.Timeouts(Duration.ofMillis(300), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10)));
        try (TlsServer server = TlsServer.start(settings, site);
                RawClient silent = RawClient.connect(server.port());
                RawClient halfHello = RawClient.connect(server.port())) {
            halfHello.send(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00});
            long start = System.nanoTime();
            assertThat(silent.isClosedByServer()).isTrue();
            assertThat(readToEnd(halfHello.socket().getInputStream())).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            await().atMost(Duration.ofSeconds(2)).until(() -> server.server().stats().timeouts(ServerStats.TimeoutKind.HEADER) == 2);
        }
    }

    @Test
    void whenAClientDoesNotTrustTheCertificateThenItsHandshakeFailsAndOthersGoOn() throws Exception {
        try (TlsServer server = TlsServer.start(site)) {
            java.net.http.HttpClient distrustful = java.net.http.HttpClient.newBuilder()
                    .sslContext(TestCertificates.trusting(TestCertificates.named("someone-else"))).build();
            assertThatExceptionOfType(SSLHandshakeException.class).isThrownBy(() -> distrustful.send(
                    java.net.http.HttpRequest.newBuilder(server.uri("/index.html")).build(), java.net.http.HttpResponse.BodyHandlers.discarding()));
            assertThat(server.get("/index.html").statusCode()).isEqualTo(200);
        }
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (SSLException | java.net.SocketException e) {
            // A reset ends it too.
        }
        return all.toByteArray();
    }

    /** A TLS 1.1 ClientHello with ECDHE and RSA CBC suites, P-256 and uncompressed points. */
    static byte[] tls11ClientHello() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0x03);
        body.write(0x02); // client_version TLS 1.1
        for (int i = 0; i < 32; i++) {
            body.write(i); // random
        }
        body.write(0); // session_id
        int[] suites = {0xc013, 0xc009, 0xc014, 0xc00a, 0x002f, 0x0035};
        body.write(0);
        body.write(suites.length * 2);
        for (int suite : suites) {
            body.write(suite >> 8);
            body.write(suite & 0xff);
        }
        body.write(1);
        body.write(0); // compression: null
        byte[] extensions = {
            0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17, // supported_groups: secp256r1
            0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, // ec_point_formats: uncompressed
        };
        body.write(0);
        body.write(extensions.length);
        body.writeBytes(extensions);
        byte[] hello = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        int handshakeLength = hello.length + 4;
        record.writeBytes(new byte[] {0x16, 0x03, 0x01, (byte) (handshakeLength >> 8), (byte) handshakeLength});
        record.writeBytes(new byte[] {0x01, 0x00, (byte) (hello.length >> 8), (byte) hello.length});
        record.writeBytes(hello);
        return record.toByteArray();
    }
}
