package dev.pier.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.files.DocRoot;
import dev.pier.files.StaticFileHandler;
import dev.pier.handler.HttpHandler;
import dev.pier.server.HttpServer;
import dev.pier.server.ServerSettings;
import dev.pier.server.TlsContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A started {@link HttpServer} speaking HTTPS on an ephemeral loopback port, without Spring: the
 * given handlers, then the static files of a document root. Closing it stops the server and fails
 * the test if an event loop died meanwhile.
 */
final class TlsServer implements AutoCloseable {

    static final ServerSettings.Timeouts RELAXED = new ServerSettings.Timeouts(
            Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));

    private final HttpServer server;
    private final TestCertificates certificate;
    private final Queue<Throwable> fatalErrors = new ConcurrentLinkedQueue<>();

    private TlsServer(ServerSettings settings, TestCertificates certificate, Path docRoot, List<HttpHandler> handlers) throws IOException {
        this.certificate = certificate;
        List<HttpHandler> chain = new ArrayList<>(handlers);
        chain.add(new StaticFileHandler(new DocRoot(docRoot, false)));
        this.server = new HttpServer(settings, chain, fatalErrors::add);
        server.start();
    }

    /** Two event loops, relaxed timeouts, no HSTS, no redirect port. */
    static TlsServer start(Path docRoot, HttpHandler... handlers) throws IOException {
        return start(settings(tls(null, -1)), docRoot, handlers);
    }

    static TlsServer start(ServerSettings settings, Path docRoot, HttpHandler... handlers) throws IOException {
        return new TlsServer(settings, TestCertificates.named("pier-test"), docRoot, List.of(handlers));
    }

    static ServerSettings settings(ServerSettings.Tls tls) {
        return ServerSettings.defaults(0).withAddress(InetAddress.getLoopbackAddress()).withEventLoops(2).withTimeouts(RELAXED).withTls(tls);
    }

    /** TLS with the test certificate, default protocols and suites. */
    static ServerSettings.Tls tls(String strictTransportSecurity, int httpRedirectPort) {
        try {
            TlsContext context = TlsContext.of(TestCertificates.named("pier-test").keyStore(), TestCertificates.PASSWORD);
            return new ServerSettings.Tls(() -> context, strictTransportSecurity, httpRedirectPort);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return server.port();
    }

    int httpRedirectPort() {
        return server.httpRedirectPort();
    }

    HttpServer server() {
        return server;
    }

    URI uri(String path) {
        return URI.create("https://127.0.0.1:" + port() + path);
    }

    /** A client context that trusts the server's certificate. */
    SSLContext clientContext() {
        return TestCertificates.trusting(certificate);
    }

    /** An HTTP client that trusts the server's certificate and checks its host name, as a browser would. */
    HttpClient httpClient() {
        return HttpClient.newBuilder().sslContext(TestCertificates.trusting(certificate)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return httpClient().send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A TLS socket, handshake done, with the given protocols enabled ({@code null}: the JDK's defaults) and ALPN offers. */
    SSLSocket connect(String[] protocols, String... applicationProtocols) throws IOException {
        SSLSocket socket = (SSLSocket) TestCertificates.trusting(certificate).getSocketFactory()
                .createSocket(new Socket(InetAddress.getLoopbackAddress(), port()), "127.0.0.1", port(), true);
        socket.setSoTimeout(5_000);
        SSLParameters parameters = socket.getSSLParameters();
        if (protocols != null) {
            parameters.setProtocols(protocols);
        }
        if (applicationProtocols.length > 0) {
            parameters.setApplicationProtocols(applicationProtocols);
        }
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    SSLSocket connect() throws IOException {
        return connect(null);
    }

    @Override
    public void close() {
        server.stop();
        assertThat(fatalErrors).as("errors that killed an event loop").isEmpty();
    }
}
