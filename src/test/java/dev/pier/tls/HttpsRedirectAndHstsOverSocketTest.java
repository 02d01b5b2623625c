package dev.pier.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.server.GracefulShutdownResult;
import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The plain-HTTP port that sends clients to HTTPS, and Strict-Transport-Security, which only TLS responses carry. */
class HttpsRedirectAndHstsOverSocketTest {

    private static final String HSTS = "max-age=31536000; includeSubDomains";

    @TempDir
    Path site;

    @BeforeEach
    void createSite() throws Exception {
        Files.writeString(site.resolve("index.html"), "<h1>secure</h1>");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/                 | example.com          | https://example.com:{port}/",
        "/a/b%20c?x=1&y=%2F | example.com:8080     | https://example.com:{port}/a/b%20c?x=1&y=%2F",
        "/docs/            | 127.0.0.1:80         | https://127.0.0.1:{port}/docs/",
        "/p?q              | [::1]:8080           | https://[::1]:{port}/p?q",
        "/p                | [2001:db8::1]        | https://[2001:db8::1]:{port}/p",
        "http://other/x?y  | www.example.com:8080 | https://www.example.com:{port}/x?y",
    })
    void whenAPlainRequestComesToTheRedirectPortThenItIsSentToTheSameTargetOverHttps(String target, String host, String location)
            throws Exception {
        try (TlsServer server = TlsServer.start(TlsServer.settings(TlsServer.tls(HSTS, 0)), site);
                RawClient client = RawClient.connect(server.httpRedirectPort())) {
            RawResponse response = client.send("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(301);
            assertThat(response.header("Location")).isEqualTo(location.replace("{port}", String.valueOf(server.port())));
            assertThat(response.header("Strict-Transport-Security")).as("never over plain HTTP").isNull();
            assertThat(response.header("Connection")).as("the connection is kept").isNull();
            assertThat(client.send("POST /form HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 3\r\n\r\nabc").read().status()).isEqualTo(301);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"example.com:80x", "exa mple.com", "example.com/evil", "[::1", "@evil.com", "ex%41mple.com"})
    void whenTheHostCannotBeTrustedIntoALocationThenTheAnswerIs400(String host) throws Exception {
        try (TlsServer server = TlsServer.start(TlsServer.settings(TlsServer.tls(null, 0)), site);
                RawClient client = RawClient.connect(server.httpRedirectPort())) {
            RawResponse response = client.send("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("Location")).isNull();
        }
    }

    @Test
    void whenHttp10ComesWithoutHostThenTheAnswerIs400() throws Exception {
        try (TlsServer server = TlsServer.start(TlsServer.settings(TlsServer.tls(null, 0)), site);
                RawClient client = RawClient.connect(server.httpRedirectPort())) {
            assertThat(client.send("GET / HTTP/1.0\r\n\r\n").read().status()).isEqualTo(400);
        }
    }

    @Test
    void whenHstsIsConfiguredThenEveryResponseOverTlsCarriesItErrorsIncluded() throws Exception {
        try (TlsServer server = TlsServer.start(TlsServer.settings(TlsServer.tls(HSTS, -1)), site); SSLSocket socket = server.connect()) {
            RawClient client = RawClient.over(socket);
            assertThat(client.send(RawClient.get("/index.html")).read().header("Strict-Transport-Security")).isEqualTo(HSTS);
            assertThat(client.send(RawClient.get("/missing")).read().header("Strict-Transport-Security")).isEqualTo(HSTS);
            RawResponse rejected = client.send("GET /x HTTP/1.1\r\n\r\n").read();
            assertThat(rejected.status()).isEqualTo(400);
            assertThat(rejected.header("Strict-Transport-Security")).isEqualTo(HSTS);
            assertThat(server.httpRedirectPort()).as("no redirect port asked for").isEqualTo(-1);
        }
    }

    @Test
    void whenHstsIsNotConfiguredThenNoneIsSent() throws Exception {
        try (TlsServer server = TlsServer.start(site)) {
            assertThat(server.get("/index.html").headers().firstValue("Strict-Transport-Security")).isEmpty();
        }
    }

    @Test
    void whenTheServerDrainsThenTheRedirectPortClosesWithTheApplicationsAndIsWaitedFor() throws Exception {
        try (TlsServer server = TlsServer.start(TlsServer.settings(TlsServer.tls(null, 0)), site);
                RawClient idle = RawClient.connect(server.httpRedirectPort())) {
            assertThat(idle.send("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n").read().status()).isEqualTo(301);
            int redirectPort = server.httpRedirectPort();
            CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
            server.server().shutDownGracefully(result::complete);
            assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.IDLE);
            assertThat(idle.isClosedByServer()).isTrue();
            assertThat(RawClient.isListening(redirectPort)).as("the redirect port still accepts").isFalse();
        }
    }
}
