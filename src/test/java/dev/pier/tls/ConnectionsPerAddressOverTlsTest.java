package dev.pier.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.server.RawClient;
import dev.pier.server.ServerSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cap per client address on an HTTPS port: the connection past it is reset before its
 * handshake, and a connection whose handshake fails gives its count back like any other.
 */
@Timeout(30)
class ConnectionsPerAddressOverTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path root;

    @Test
    void whenAnAddressHasTheCapOpenOverTlsThenTheNextIsResetBeforeItsHandshake() throws IOException {
        Files.writeString(root.resolve("index.html"), "home");
        ServerSettings settings = TlsServer.settings(TlsServer.tls(null, -1)).withConnections(new ServerSettings.Connections(10_000, 1000, 1, List.of()));
        try (TlsServer server = TlsServer.start(settings, root)) {
            try (SSLSocket first = server.connect()) {
                first.getOutputStream().write("GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(first.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
                assertThat(RawClient.endsUnanswered(InetAddress.getLoopbackAddress(), server.port())).isTrue();
                assertThat(server.server().stats().connectionsRefusedPerAddress()).isEqualTo(1);
            }
            await().atMost(WAIT).until(() -> server.server().stats().addressesCounted() == 0);

            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                plain.setSoTimeout(RawClient.READ_TIMEOUT_MILLIS);
                plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                // Not a handshake: the server ends the connection (an alert, then end of stream, or a reset).
                readToEnd(plain);
            }
            await().atMost(WAIT).until(() -> server.server().stats().addressesCounted() == 0 && server.server().stats().activeConnections() == 0);
            try (SSLSocket again = server.connect()) {
                assertThat(again.getSession().isValid()).isTrue();
            }
        }
    }

    private static void readToEnd(Socket socket) throws IOException {
        try {
            while (socket.getInputStream().read() != -1) {
                // The alert's bytes.
            }
        } catch (SocketException reset) {
            // Ended all the same.
        }
    }
}
