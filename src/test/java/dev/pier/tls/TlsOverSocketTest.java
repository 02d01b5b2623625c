package dev.pier.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import dev.pier.server.ServerSettings;
import dev.pier.server.TlsContext;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS served by the event loops: clients of the JDK, raw HTTP over TLS sockets, what each side negotiates. */
class TlsOverSocketTest {

    @TempDir
    Path site;

    /** Echoes a POST's body, on the loop. */
    private static final HttpHandler ECHO = new HttpHandler() {
        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/echo");
        }

        @Override
        public HttpResponse handle(HttpRequest request) {
            return HttpResponse.status(200).body(request.body()).build();
        }

        @Override
        public boolean isBlocking() {
            return false;
        }
    };

    @BeforeEach
    void createSite() throws IOException {
        Files.writeString(site.resolve("index.html"), "<h1>secure</h1>");
        byte[] large = new byte[300_000];
        new Random(7).nextBytes(large);
        Files.write(site.resolve("large.bin"), large);
    }

    @Test
    void whenHttpClientGetsAFileThenItArrivesOverTls13WithH2() throws Exception {
        try (TlsServer server = TlsServer.start(site)) {
            java.net.http.HttpResponse<byte[]> response = server.get("/index.html");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("<h1>secure</h1>");
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.sslSession()).hasValueSatisfying(session -> {
                assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
                assertThat(session.getCipherSuite()).isIn(TlsContext.DEFAULT_CIPHER_SUITES);
            });
        }
    }

    @Test
    void whenClientOffersH2AndHttp11ThenAlpnSelectsH2() throws Exception {
        try (TlsServer server = TlsServer.start(site); SSLSocket socket = server.connect(null, "http/1.1", "h2")) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
        }
    }

    @Test
    void whenHttp2IsOffAndClientOffersH2AndHttp11ThenAlpnSelectsHttp11() throws Exception {
        try (TlsServer server = TlsServer.start(TlsServer.settings(TlsServer.tls(null, -1)).withHttp2(null), site);
                SSLSocket socket = server.connect(null, "h2", "http/1.1")) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
            RawResponse response = RawClient.over(socket).send(RawClient.get("/index.html")).read();
            assertThat(response.status()).isEqualTo(200);
        }
    }

    @Test
    void whenClientSpeaksTls12ThenAForwardSecretAeadSuiteIsChosen() throws Exception {
        try (TlsServer server = TlsServer.start(site); SSLSocket socket = server.connect(new String[] {"TLSv1.2"}, "http/1.1")) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(socket.getSession().getCipherSuite()).startsWith("TLS_ECDHE_").containsAnyOf("_GCM_", "_CHACHA20_");
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
            RawResponse response = RawClient.over(socket).send(RawClient.get("/index.html")).read();
            assertThat(response.bodyText()).isEqualTo("<h1>secure</h1>");
        }
    }

    @Test
    void whenOneConnectionCarriesManyRequestsThenEachIsAnsweredOverTheSameSession() throws Exception {
        try (TlsServer server = TlsServer.start(site); SSLSocket socket = server.connect()) {
            RawClient client = RawClient.over(socket);
            for (int i = 0; i < 20; i++) {
                RawResponse response = client.send(RawClient.get(i % 2 == 0 ? "/index.html" : "/large.bin")).read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).hasSize(i % 2 == 0 ? 15 : 300_000);
            }
            assertThat(server.server().stats().connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void whenRequestsArePipelinedInOneRecordThenAllAreAnsweredInOrder() throws Exception {
        try (TlsServer server = TlsServer.start(site); SSLSocket socket = server.connect()) {
            RawClient client = RawClient.over(socket);
            client.send(RawClient.get("/index.html") + RawClient.get("/missing") + RawClient.get("/large.bin"));
            assertThat(client.read().status()).isEqualTo(200);
            assertThat(client.read().status()).isEqualTo(404);
            assertThat(client.read().body()).isEqualTo(Files.readAllBytes(site.resolve("large.bin")));
        }
    }

    @Test
    void whenABodySpansManyRecordsThenTheHandlerGetsAllOfIt() throws Exception {
        byte[] body = new byte[700_000];
        new Random(3).nextBytes(body);
        try (TlsServer server = TlsServer.start(site, ECHO)) {
            java.net.http.HttpResponse<byte[]> response = server.httpClient().send(java.net.http.HttpRequest.newBuilder(server.uri("/echo"))
                    .timeout(Duration.ofSeconds(10)).POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(body);
        }
    }

    @Test
    void whenRangesAreAskedThenTheMultipartBodyIsEncryptedPartByPart() throws Exception {
        try (TlsServer server = TlsServer.start(site); SSLSocket socket = server.connect()) {
            RawResponse response = RawClient.over(socket)
                    .send("GET /large.bin HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-9,100000-100009\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(206);
            assertThat(response.header("Content-Type")).startsWith("multipart/byteranges");
            assertThat(response.bodyText()).contains("Content-Range: bytes 0-9/300000", "Content-Range: bytes 100000-100009/300000");
        }
    }

    @Test
    void whenTheResponseClosesTheConnectionThenCloseNotifyPrecedesTheEnd() throws Exception {
        try (TlsServer server = TlsServer.start(site); EngineClient client = new EngineClient(server.clientContext(), server.port())) {
            client.send("GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            EngineClient.Received received = client.readToEnd();
            assertThat(received.text()).startsWith("HTTP/1.1 200 ").contains("Connection: close").endsWith("<h1>secure</h1>");
            assertThat(received.closeNotify()).isTrue();
        }
    }

    @Test
    void whenAnIdleConnectionTimesOutThenTheServerSaysCloseNotify() throws Exception {
        ServerSettings settings = TlsServer.settings(TlsServer.tls(null, -1))
                .withTimeouts(new ServerSettings.Timeouts(Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(10)));
        try (TlsServer server = TlsServer.start(settings, site); EngineClient client = new EngineClient(server.clientContext(), server.port())) {
            client.send(RawClient.get("/index.html"));
            EngineClient.Received received = client.readToEnd();
            assertThat(received.text()).startsWith("HTTP/1.1 200 ").endsWith("<h1>secure</h1>");
            assertThat(received.closeNotify()).isTrue();
        }
    }

    @Test
    void whenTls13ClientUpdatesItsKeysThenTheConnectionGoesOn() throws Exception {
        try (TlsServer server = TlsServer.start(site); SSLSocket socket = server.connect(new String[] {"TLSv1.3"})) {
            RawClient client = RawClient.over(socket);
            assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
            socket.startHandshake(); // TLS 1.3: a KeyUpdate, which the server must answer
            assertThat(client.send(RawClient.get("/large.bin")).read().body()).hasSize(300_000);
            assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void whenHandshakesRunThenTheirDelegatedTasksRunOnTlsThreadsNotOnTheLoops() throws Exception {
        try (TlsServer server = TlsServer.start(site)) {
            for (int i = 0; i < 3; i++) {
                assertThat(server.get("/index.html").statusCode()).isEqualTo(200);
            }
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).anyMatch(name -> name.startsWith("pier-tls-"));
        }
    }
}
