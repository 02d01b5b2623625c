package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http2.Http2Settings;
import dev.pier.test.H2Peer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2 flow control over a real socket: Pier sends within the windows the client opens, and all of a body when they allow it. */
@Timeout(60)
class Http2FlowControlOverSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path root;

    private RunningServer server;
    private byte[] large;

    @BeforeEach
    void start() throws IOException {
        large = new byte[3 * 1024 * 1024 + 17];
        new Random(5).nextBytes(large);
        Files.write(root.resolve("large.bin"), large);
        server = RunningServer.start(root);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void whenTheClientOpensLargeWindowsAtOnceThenEveryResponseOnTheConnectionComesWhole() throws IOException {
        try (H2Peer peer = H2Peer.connect(server.port(),
                List.of(new Http2Settings.Setting(Http2Settings.INITIAL_WINDOW_SIZE, (1 << 30) - 1)))) {
            peer.autoWindowUpdate(false);
            peer.sendWindowUpdate(0, (1 << 30) - 1 - 65_535);
            for (int stream = 1; stream <= 7; stream += 2) {
                peer.get(stream, "/large.bin", "localhost");
                H2Peer.Response response = peer.response(stream, WAIT);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).isEqualTo(large);
            }
        }
    }
}
