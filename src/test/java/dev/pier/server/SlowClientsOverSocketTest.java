package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.pier.http.ParserLimits;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that stops reading a large response must not hold up anyone else: the loop parks its
 * connection until the socket drains and serves the others meanwhile. One event loop, so the
 * stalled client and the others certainly share it.
 */
@Timeout(20)
class SlowClientsOverSocketTest {

    private static final int LARGE = 10 * 1024 * 1024;

    @TempDir
    Path root;

    private byte[] large;
    private RunningServer server;

    @BeforeEach
    void startServer() throws IOException {
        large = new byte[LARGE];
        new Random(42).nextBytes(large);
        Files.write(root.resolve("large.bin"), large);
        Files.writeString(root.resolve("small.txt"), "small\n");
        ServerSettings oneLoop = new ServerSettings(null, 0, 128, 1, 4, 64, ParserLimits.DEFAULTS, RunningServer.RELAXED, ServerSettings.Connections.DEFAULTS, "Pier", null);
        server = RunningServer.start(oneLoop, root);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void whenClientStallsOnLargeFileThenOthersServedAndItLaterGetsEveryByte() throws Exception {
        try (RawClient stalled = RawClient.connectWithReceiveBuffer(server.port(), 32 * 1024)) {
            RawResponse head = stalled.send(RawClient.get("/large.bin")).readHead();
            assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(LARGE));
            // Take a little in small pieces, then stop reading with most of the file unsent.
            MessageDigest received = sha256();
            byte[] piece = new byte[1024];
            int taken = 0;
            while (taken < 64 * 1024) {
                int count = stalled.readSome(piece);
                assertThat(count).isPositive();
                received.update(piece, 0, count);
                taken += count;
            }

            for (int i = 0; i < 3; i++) {
                RawResponse other = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
                    try (RawClient client = server.connect()) {
                        return client.send(RawClient.get("/small.txt")).read();
                    }
                });
                assertThat(other.bodyText()).isEqualTo("small\n");
            }

            received.update(stalled.readExactly(LARGE - taken));
            assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sha256().digest(large)));
            // The connection survived the stall and still serves.
            assertThat(stalled.send(RawClient.get("/small.txt")).read().bodyText()).isEqualTo("small\n");
        }
    }

    @Test
    void whenClientStallsThenPipelinedRequestOnSameConnectionWaitsItsTurn() throws Exception {
        try (RawClient stalled = RawClient.connectWithReceiveBuffer(server.port(), 32 * 1024)) {
            stalled.send(RawClient.get("/large.bin") + RawClient.get("/small.txt"));
            RawResponse head = stalled.readHead();
            assertThat(head.status()).isEqualTo(200);

            RawResponse other = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
                try (RawClient client = server.connect()) {
                    return client.send(RawClient.get("/small.txt")).read();
                }
            });
            assertThat(other.status()).isEqualTo(200);

            byte[] body = stalled.readExactly(LARGE);
            assertThat(sha256().digest(body)).isEqualTo(sha256().digest(large));
            assertThat(stalled.read().bodyText()).isEqualTo("small\n");
        }
    }

    /**
     * The file cut short in place while a stalled client is downloading it: the server cannot send
     * the bytes its Content-Length promised, so it closes the connection (the client sees the body
     * end early, never a hang), and the loop serves on.
     */
    @Test
    void whenTheFileIsTruncatedInPlaceWhileSentThenTheConnectionClosesShortAndOthersAreServed() throws Exception {
        try (RawClient stalled = RawClient.connectWithReceiveBuffer(server.port(), 32 * 1024)) {
            RawResponse head = stalled.send(RawClient.get("/large.bin")).readHead();
            assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(LARGE));
            byte[] piece = new byte[64 * 1024];
            long received = stalled.readSome(piece);
            assertThat(received).isPositive();

            try (FileChannel file = FileChannel.open(root.resolve("large.bin"), StandardOpenOption.WRITE)) {
                file.truncate(LARGE / 10);
            }
            for (int count = stalled.readSome(piece); count >= 0; count = stalled.readSome(piece)) {
                received += count;
            }

            assertThat(received).as("body bytes before the server closed").isLessThan(LARGE);
            try (RawClient other = server.connect()) {
                assertThat(other.send(RawClient.get("/small.txt")).read().bodyText()).isEqualTo("small\n");
            }
        }
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }
}
