package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.handler.HttpExchange;
import dev.pier.handler.RequestBody;
import dev.pier.handler.StreamingHandler;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.multipart.FormCollector;
import dev.pier.multipart.MultipartLimits;
import dev.pier.multipart.MultipartParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request bodies streamed to handlers over real sockets: read on the loop through
 * {@link RequestBody#read()} and {@link RequestBody#demand}, or on a worker through the
 * {@code InputStream}; split anywhere; bounded while the handler is slow; limits mid-stream;
 * {@code 100 Continue} only when asked; aborted uploads leaving nothing behind.
 */
@Timeout(60)
class StreamedRequestBodyOverSocketTest {

    private static final String CHUNKED_REQUEST = "POST /loop HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n1;ext=1\r\n \r\n00006\r\nstream\r\n0\r\nX-Checksum: 42\r\nX-Other: a b\r\n\r\n";

    @TempDir
    Path root;

    @TempDir
    Path uploads;

    private final ExecutorService clients = Executors.newCachedThreadPool();
    private final AtomicInteger aborted = new AtomicInteger();
    private final Semaphore permits = new Semaphore(0);
    private final AtomicLong consumed = new AtomicLong();
    private RunningServer server;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        server = RunningServer.start(root, new LoopReader(), new WorkerReader(), new LimitedReader(), new NonReader(), new SlowReader(), new FormReader());
    }

    @AfterEach
    void stop() {
        clients.shutdownNow();
        server.close();
    }

    @Test
    void whenChunkedBodyIsSplitAtEveryOffsetThenTheLoopReaderGetsItWholeWithItsTrailers() throws IOException {
        byte[] request = CHUNKED_REQUEST.getBytes(StandardCharsets.ISO_8859_1);
        int headEnd = CHUNKED_REQUEST.indexOf("\r\n\r\n") + 4;
        for (int cut = headEnd; cut < request.length; cut++) {
            try (RawClient client = server.connect()) {
                client.send(Arrays.copyOfRange(request, 0, cut));
                client.send(Arrays.copyOfRange(request, cut, request.length));

                RawResponse response = client.read();
                assertThat(response.bodyText()).as("cut at %d", cut).isEqualTo("hello stream|X-Checksum=42|X-Other=a b");
            }
        }
    }

    @Test
    void whenChunkedBodyArrivesByteByByteThenTheLoopReaderGetsItWholeAndTheConnectionServesTheNextRequest() throws IOException {
        byte[] request = CHUNKED_REQUEST.getBytes(StandardCharsets.ISO_8859_1);
        try (RawClient client = server.connect()) {
            for (byte b : request) {
                client.send(new byte[] {b});
            }
            assertThat(client.read().bodyText()).isEqualTo("hello stream|X-Checksum=42|X-Other=a b");
            assertThat(client.send(RawClient.get("/index.html")).read().bodyText()).isEqualTo("<h1>home</h1>");
        }
    }

    @Test
    void whenAWorkerReadsAFixedLengthBodyThroughTheInputStreamThenItGetsEveryByte() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(body);
        try (RawClient client = server.connect()) {
            client.send("POST /worker HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length + "\r\n\r\n");
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> sendQuietly(client, body), clients);

            RawResponse response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(body.length + " " + sha256(body));
            upload.get(10, TimeUnit.SECONDS);
            assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void whenAChunkedBodyPassesTheHandlersLimitMidStreamThenContentTooLargeAndClosed() throws IOException {
        String chunk = "1000\r\n" + "x".repeat(0x1000) + "\r\n";
        try (RawClient client = server.connect()) {
            client.send("POST /limited HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + chunk);

            RawResponse response = client.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenADeclaredLengthPassesTheHandlersLimitThenContentTooLargeBeforeAnyByteIsRead() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /limited HTTP/1.1\r\nHost: localhost\r\nContent-Length: 9000\r\nExpect: 100-continue\r\n\r\n");

            RawResponse response = client.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenTheHandlerAsksForTheBodyThenContinueIsSentAndOnlyThen() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /loop HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(100);
            client.send("ping");
            assertThat(client.read().bodyText()).isEqualTo("ping");
        }
        try (RawClient client = server.connect()) {
            client.send("POST /ignore HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            RawResponse response = client.read();
            assertThat(response.status()).as("no 100 Continue for a handler that never asks").isEqualTo(202);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenTheHandlerIsSlowThenTheClientIsHeldBackAndTheServerHoldsNoMoreThanItsBound() throws Exception {
        long total = 64L * 1024 * 1024;
        AtomicLong sent = new AtomicLong();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /slow HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + total + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                byte[] block = new byte[64 * 1024];
                try {
                    while (sent.get() < total) {
                        out.write(block);
                        sent.addAndGet(block.length);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, clients);

            permits.release(1000);
            await().atMost(Duration.ofSeconds(20)).until(() -> consumed.get() >= 1000 * 1024);
            long settled = awaitSettled(sent);
            // What the client got out beyond what the handler took sits in the kernel's socket buffers and in the server's bound.
            long held = settled - consumed.get();
            assertThat(held).as("bytes between client and handler").isLessThan(RequestBody.BUFFERED + kernelBufferMaxima());
            assertThat(settled).as("the client was held back").isLessThan(total);

            permits.release(Integer.MAX_VALUE / 2);
            upload.get(30, TimeUnit.SECONDS);
            RawResponse response = RawClient.over(socket).read();
            assertThat(response.bodyText()).isEqualTo(Long.toString(total));
        }
    }

    @Test
    void whenAThousandUploadsAreAbortedThenHandlersHearItAndNoDescriptorIsLeft() throws Exception {
        long before = OpenDescriptors.settledCount(server.stats());
        long heap = HeapAfterCollection.used();
        for (int i = 0; i < 1000; i++) {
            try (RawClient client = server.connect()) {
                client.send("POST /worker HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\n" + "y".repeat(5000));
                if (i % 2 == 0) {
                    client.socket().setSoLinger(true, 0);
                }
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> aborted.get() == 1000);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().activeConnections() == 0 && server.stats().requestsInFlight() == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> OpenDescriptors.list().size() <= before);
        // Each upload held a 16 KiB chunk and its worker's buffers: a thousand kept would pass the margin.
        assertThat(HeapAfterCollection.used()).isLessThan(heap + HeapAfterCollection.MARGIN);
    }

    @Test
    void whenAThousandFormUploadsAreAbortedMidFileThenNoTemporaryFileIsLeft() throws Exception {
        String head = "POST /form HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 1000000\r\n\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n";
        for (int i = 0; i < 1000; i++) {
            try (RawClient client = server.connect()) {
                // Past the collector's 1 KiB threshold, so each upload is being spooled to a file when it is cut.
                client.send(head + "z".repeat(8 * 1024));
                if (i % 2 == 0) {
                    client.socket().setSoLinger(true, 0);
                }
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> aborted.get() == 1000);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().requestsInFlight() == 0);
        try (var left = Files.list(uploads)) {
            assertThat(left).as("temporary files left behind").isEmpty();
        }
        // And a whole form still goes through.
        try (RawClient client = server.connect()) {
            String form = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n" + "z".repeat(4096)
                    + "\r\n--XyZ--\r\n";
            client.send("POST /form HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: "
                    + form.length() + "\r\n\r\n" + form);
            assertThat(client.read().bodyText()).isEqualTo("file 4096");
        }
    }

    /** The client's count once it stops moving for a poll interval: the client is blocked on full buffers. */
    private static long awaitSettled(AtomicLong sent) {
        long[] last = {-1};
        await().pollInterval(Duration.ofMillis(250)).atMost(Duration.ofSeconds(20)).until(() -> {
            long now = sent.get();
            boolean settled = now == last[0];
            last[0] = now;
            return settled;
        });
        return last[0];
    }

    /** The most the kernel may buffer on the way: the client's send buffer and the server's receive buffer at their largest. */
    private static long kernelBufferMaxima() throws IOException {
        return lastNumber(Path.of("/proc/sys/net/ipv4/tcp_rmem")) + lastNumber(Path.of("/proc/sys/net/ipv4/tcp_wmem"));
    }

    private static long lastNumber(Path file) throws IOException {
        // Files.readString trusts the size /proc reports, 0, and reads too little.
        String[] fields;
        try (InputStream in = Files.newInputStream(file)) {
            fields = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
        }
        return Long.parseLong(fields[fields.length - 1]);
    }

    private static void sendQuietly(RawClient client, byte[] bytes) {
        try {
            client.send(bytes);
        } catch (IOException e) {
            // The server may have answered and closed first.
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static HttpResponse text(int status, String text) {
        return HttpResponse.status(status).contentType("text/plain").body(text).build();
    }

    /** On the loop: read what has come, demand more, answer with the body and its trailers. */
    private static final class LoopReader implements StreamingHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/loop");
        }

        @Override
        public boolean isBlocking() {
            return false;
        }

        @Override
        public void handle(HttpExchange exchange) {
            read(exchange, new ByteArrayOutputStream());
        }

        private void read(HttpExchange exchange, ByteArrayOutputStream gathered) {
            RequestBody.Chunk chunk;
            while ((chunk = exchange.body().read()) != null) {
                ByteBuffer data = chunk.data();
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                gathered.writeBytes(bytes);
                boolean last = chunk.last();
                chunk.release();
                if (last) {
                    StringBuilder answer = new StringBuilder(gathered.toString(StandardCharsets.US_ASCII));
                    exchange.body().trailers().forEach((name, value) -> answer.append('|').append(name).append('=').append(value));
                    exchange.respond(text(200, answer.toString()));
                    return;
                }
            }
            exchange.body().demand(() -> read(exchange, gathered));
        }
    }

    /** On a worker, through the InputStream: length and SHA-256; counts the uploads it saw cut short. */
    private final class WorkerReader implements StreamingHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/worker");
        }

        @Override
        public void handle(HttpExchange exchange) throws Exception {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long total = 0;
            byte[] buffer = new byte[8192];
            try (InputStream in = exchange.body().inputStream()) {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    digest.update(buffer, 0, read);
                    total += read;
                }
            } catch (IOException e) {
                aborted.incrementAndGet();
                throw e;
            }
            exchange.respond(text(200, total + " " + HexFormat.of().formatHex(digest.digest())));
        }
    }

    /** Takes at most 8 KiB. */
    private static final class LimitedReader implements StreamingHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/limited");
        }

        @Override
        public long bodyLimit(HttpRequest head) {
            return 8192;
        }

        @Override
        public void handle(HttpExchange exchange) throws Exception {
            exchange.body().inputStream().transferTo(OutputStream.nullOutputStream());
            exchange.respond(text(200, "read it all"));
        }
    }

    /** Answers without reading. */
    private static final class NonReader implements StreamingHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.method() == HttpMethod.POST && request.path().equals("/ignore");
        }

        @Override
        public boolean isBlocking() {
            return false;
        }

        @Override
        public void handle(HttpExchange exchange) {
            exchange.respond(text(202, "not read"));
        }
    }

    /** Collects a form, spooling files past 1 KiB into the test's folder, and always closes the collector; counts cut uploads. */
    private final class FormReader implements StreamingHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/form");
        }

        @Override
        public void handle(HttpExchange exchange) throws Exception {
            try (FormCollector form = new FormCollector(uploads, 1024)) {
                MultipartParser parser = new MultipartParser(MultipartParser.boundary(exchange.request().header("Content-Type")),
                        MultipartLimits.DEFAULTS, form);
                byte[] buffer = new byte[8192];
                try (InputStream in = exchange.body().inputStream()) {
                    for (int read; (read = in.read(buffer)) >= 0; ) {
                        parser.feed(ByteBuffer.wrap(buffer, 0, read));
                    }
                } catch (IOException e) {
                    aborted.incrementAndGet();
                    throw e;
                }
                parser.end();
                exchange.respond(text(200, "file " + form.file("file").size()));
            }
        }
    }

    /** Reads 1 KiB per permit the test hands out. */
    private final class SlowReader implements StreamingHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/slow");
        }

        @Override
        public void handle(HttpExchange exchange) throws Exception {
            byte[] buffer = new byte[1024];
            long total = 0;
            try (InputStream in = exchange.body().inputStream()) {
                while (true) {
                    permits.acquire();
                    int read = in.readNBytes(buffer, 0, buffer.length);
                    if (read == 0) {
                        break;
                    }
                    total += read;
                    consumed.set(total);
                }
            }
            exchange.respond(text(200, Long.toString(total)));
        }
    }
}
