package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.ResponseBody;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A composite body goes out part by part, in order, its file regions zero-copy although they share
 * one channel, which closes once after the last part, or when the body is dropped.
 */
@Timeout(20)
class CompositeBodyOverSocketTest {

    private static final int LARGE = 4 * 1024 * 1024;

    @TempDir
    Path root;

    private byte[] large;
    private final Queue<FileChannel> opened = new ConcurrentLinkedQueue<>();
    private RunningServer server;

    @BeforeEach
    void startServer() throws IOException {
        Files.writeString(root.resolve("letters.txt"), "abcdefghij");
        large = new byte[LARGE];
        new Random(7).nextBytes(large);
        Files.write(root.resolve("large.bin"), large);
        server = RunningServer.start(root, new PartsHandler());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void whenBodyIsCompositeThenPartsArriveInOrderAndTheSharedChannelClosesOnce() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(RawClient.get("/parts")).read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Length")).isEqualTo("10");
            assertThat(response.bodyText()).isEqualTo("[cde|ab|j]");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> opened.stream().noneMatch(FileChannel::isOpen));
    }

    @Test
    void whenCompositeResponsesArePipelinedThenEachIsFramedAndTheNextFollows() throws IOException {
        try (RawClient client = server.connect()) {
            client.send(RawClient.get("/parts") + RawClient.get("/parts") + RawClient.get("/letters.txt"));

            assertThat(client.read().bodyText()).isEqualTo("[cde|ab|j]");
            assertThat(client.read().bodyText()).isEqualTo("[cde|ab|j]");
            assertThat(client.read().bodyText()).isEqualTo("abcdefghij");
        }
    }

    @Test
    void whenHeadOfCompositeThenLengthOfGetAndTheChannelIsReleasedUnsent() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse head = client.send("HEAD /parts HTTP/1.1\r\nHost: localhost\r\n\r\n").readHead();

            assertThat(head.header("Content-Length")).isEqualTo("10");
            assertThat(client.send(RawClient.get("/letters.txt")).read().bodyText()).isEqualTo("abcdefghij");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> opened.stream().noneMatch(FileChannel::isOpen));
    }

    @Test
    void whenCompositeIsLargerThanTheSocketTakesThenItIsSentUnderBackpressure() throws IOException {
        try (RawClient client = RawClient.connectWithReceiveBuffer(server.port(), 16 * 1024)) {
            RawResponse response = client.send(RawClient.get("/large-parts")).read();

            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.write(large, LARGE / 2, LARGE / 2);
            expected.write('|');
            expected.write(large, 0, LARGE);
            expected.write('|');
            expected.write('|');
            expected.write(large, 0, LARGE / 2 - 1);
            assertThat(response.body()).hasSize(expected.size()).isEqualTo(expected.toByteArray());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> opened.stream().noneMatch(FileChannel::isOpen));
    }

    @Test
    void whenClientLeavesMidwayThenTheSharedChannelIsClosed() throws IOException {
        try (RawClient client = RawClient.connectWithReceiveBuffer(server.port(), 16 * 1024)) {
            client.send(RawClient.get("/large-parts"));
            client.readExactly(1024);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !opened.isEmpty() && opened.stream().noneMatch(FileChannel::isOpen));
    }

    /** Serves file regions cut from one channel, between bytes. */
    private final class PartsHandler implements HttpHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().startsWith("/parts") || request.path().equals("/large-parts");
        }

        @Override
        public boolean isBlocking() {
            return false;
        }

        @Override
        public HttpResponse handle(HttpRequest request) {
            if (request.path().equals("/large-parts")) {
                FileChannel channel = open("large.bin");
                // The second half, the whole, and the first half again less two bytes, with separators.
                return HttpResponse.status(200).body(new ResponseBody.Composite(List.of(
                        new ResponseBody.FileRegion(channel, LARGE / 2, LARGE / 2), bytes("|"),
                        new ResponseBody.FileRegion(channel, 0, LARGE), bytes("||"),
                        new ResponseBody.FileRegion(channel, 0, 0),
                        new ResponseBody.FileRegion(channel, 0, LARGE / 2 - 1)))).build();
            }
            FileChannel channel = open("letters.txt");
            return HttpResponse.status(200).body(new ResponseBody.Composite(List.of(
                    bytes("["), new ResponseBody.FileRegion(channel, 2, 3), bytes("|"),
                    new ResponseBody.FileRegion(channel, 0, 2), bytes("|"),
                    new ResponseBody.FileRegion(channel, 9, 1), bytes("]")))).build();
        }

        private FileChannel open(String name) {
            try {
                FileChannel channel = FileChannel.open(root.resolve(name), StandardOpenOption.READ);
                opened.add(channel);
                return channel;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static ResponseBody bytes(String text) {
            return ResponseBody.Bytes.of(text.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
