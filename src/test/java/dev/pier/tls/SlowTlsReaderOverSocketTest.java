package dev.pier.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import dev.pier.server.ServerSettings;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that reads a large file slowly over TLS costs the server bounded buffers and no
 * thread: the one event loop goes on serving another client meanwhile, and the slow one gets
 * every byte, in order, in the end.
 */
class SlowTlsReaderOverSocketTest {

    private static final int TEN_MIB = 10 * 1024 * 1024;

    @TempDir
    Path site;

    @Test
    void whenATlsClientReadsTenMibSlowlyThenAnotherIsServedMeanwhileAndTheBytesArriveExactly() throws Exception {
        byte[] file = new byte[TEN_MIB];
        new Random(42).nextBytes(file);
        Files.write(site.resolve("large.bin"), file);
        Files.writeString(site.resolve("index.html"), "<h1>secure</h1>");
        ServerSettings oneLoop = TlsServer.settings(TlsServer.tls(null, -1)).withEventLoops(1);
        try (TlsServer server = TlsServer.start(oneLoop, site); SSLSocket slow = connectWithSmallReceiveBuffer(server)) {
            slow.getOutputStream().write(RawClient.get("/large.bin").getBytes());
            InputStream in = slow.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream(TEN_MIB + 1024);
            received.write(in.readNBytes(64 * 1024));

            // The slow client has stopped reading; its response waits in socket buffers and the transport, not in the server's heap.
            try (SSLSocket other = server.connect()) {
                RawClient client = RawClient.over(other);
                for (int i = 0; i < 20; i++) {
                    RawResponse response = client.send(RawClient.get("/index.html")).read();
                    assertThat(response.status()).isEqualTo(200);
                }
            }
            assertThat(server.server().stats().bytesWritten()).as("encrypted ahead of the slow reader").isLessThan(TEN_MIB / 2);

            int bodyStart = headLength(received.toByteArray());
            int total = bodyStart + TEN_MIB;
            while (received.size() < total) {
                // Slowly: a pause every 2 MiB.
                received.write(in.readNBytes(Math.min(2 * 1024 * 1024, total - received.size())));
                Thread.sleep(20);
            }
            byte[] all = received.toByteArray();
            assertThat(all).hasSize(total);
            assertThat(Arrays.equals(all, bodyStart, all.length, file, 0, file.length)).as("the exact bytes").isTrue();
        }
    }

    private static SSLSocket connectWithSmallReceiveBuffer(TlsServer server) throws Exception {
        Socket plain = new Socket();
        plain.setReceiveBufferSize(16 * 1024);
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5_000);
        SSLSocket socket = (SSLSocket) server.clientContext().getSocketFactory().createSocket(plain, "127.0.0.1", server.port(), true);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static int headLength(byte[] bytes) {
        for (int i = 3; i < bytes.length; i++) {
            if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }
}
