package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http.HttpResponse;
import dev.pier.http.ResponseBody;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue over a real loopback socket, through the plain transport, with every write recorded:
 * a head followed by a file leaves with the file's first bytes up to a full segment, and whatever
 * the socket takes at a time, the peer receives every byte once, in order, and every file region is
 * released once.
 */
@Timeout(30)
class OutboundQueueTest {

    private static final int HEAD = 300;

    @TempDir
    Path dir;

    private ServerSocketChannel listener;
    private SocketChannel server;
    private SocketChannel peer;
    private RecordingTransport transport;
    private final ByteBuffer lead = ByteBuffer.allocateDirect(OutboundQueue.SEGMENT);
    private final AtomicInteger releases = new AtomicInteger();

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        peer = SocketChannel.open(listener.getLocalAddress());
        server = listener.accept();
        server.configureBlocking(false);
        peer.configureBlocking(false);
        transport = new RecordingTransport(new PlainTransport(server));
    }

    @AfterEach
    void close() throws IOException {
        peer.close();
        server.close();
        listener.close();
    }

    @Test
    void whenAHeadPrecedesAFileThenTheFirstWriteFillsASegmentWithTheFilesFirstBytes() throws IOException {
        byte[] head = bytes(HEAD, 1);
        byte[] file = bytes(64 * 1024, 2);
        OutboundQueue queue = new OutboundQueue(lead, InetAddress.getLoopbackAddress());
        queue.add(ByteBuffer.wrap(head));
        queue.add(region(file, 0, file.length));

        byte[] received = sendAll(queue);

        assertThat(transport.writes).first().isEqualTo((long) OutboundQueue.SEGMENT);
        assertThat(transport.transferred.stream().mapToLong(Long::longValue).sum()).isEqualTo(file.length - (OutboundQueue.SEGMENT - HEAD));
        assertThat(received).isEqualTo(concat(head, file));
        assertThat(releases).hasValue(1);
    }

    @Test
    void whenThePeerIsIpv6ThenTheSegmentIsTwentyBytesShorter() throws IOException {
        byte[] head = bytes(HEAD, 1);
        byte[] file = bytes(64 * 1024, 2);
        OutboundQueue queue = new OutboundQueue(lead, InetAddress.getByName("::1"));
        queue.add(ByteBuffer.wrap(head));
        queue.add(region(file, 0, file.length));

        byte[] received = sendAll(queue);

        assertThat(transport.writes).first().isEqualTo(OutboundQueue.SEGMENT - 20L);
        assertThat(received).isEqualTo(concat(head, file));
    }

    @Test
    void whenTheRegionFitsInTheSegmentThenItLeavesWithTheHeadAndNoTransferIsMade() throws IOException {
        byte[] head = bytes(HEAD, 1);
        byte[] file = bytes(10_000, 2);
        OutboundQueue queue = new OutboundQueue(lead, InetAddress.getLoopbackAddress());
        queue.add(ByteBuffer.wrap(head));
        queue.add(region(file, 5_000, 100));

        byte[] received = sendAll(queue);

        assertThat(transport.writes).containsExactly((long) HEAD + 100);
        assertThat(transport.transferred).isEmpty();
        assertThat(received).isEqualTo(concat(head, slice(file, 5_000, 100)));
        assertThat(releases).hasValue(1);
    }

    @Test
    void whenAFileFollowsAFileThenTheSecondIsSentAsItIs() throws IOException {
        byte[] first = bytes(3_000, 1);
        byte[] second = bytes(3_000, 2);
        OutboundQueue queue = new OutboundQueue(lead, InetAddress.getLoopbackAddress());
        queue.add(region(first, 0, first.length));
        queue.add(region(second, 0, second.length));

        byte[] received = sendAll(queue);

        assertThat(transport.writes).isEmpty();
        assertThat(received).isEqualTo(concat(first, second));
        assertThat(releases).hasValue(2);
    }

    /** Heads, files and multipart bodies in random order, written a random few bytes at a time, read a little at a time. */
    @Test
    void whateverTheSocketTakesAtATimeThePeerGetsEveryByteOnceInOrder() throws IOException {
        server.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
        Random random = new Random(20261126);
        transport.budget = () -> 1 + random.nextInt(random.nextBoolean() ? 500 : 5000);
        for (int round = 0; round < 40; round++) {
            OutboundQueue queue = new OutboundQueue(lead, InetAddress.getLoopbackAddress());
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            int regions = 0;
            for (int item = 0; item < 1 + random.nextInt(6); item++) {
                byte[] content = bytes(1 + random.nextInt(40_000), random.nextInt());
                int position = random.nextInt(content.length);
                int count = 1 + random.nextInt(content.length - position);
                switch (random.nextInt(3)) {
                    case 0 -> {
                        queue.add(ByteBuffer.wrap(content, position, count));
                        expected.write(content, position, count);
                    }
                    case 1 -> {
                        queue.add(region(content, position, count));
                        expected.write(content, position, count);
                        regions++;
                    }
                    default -> {
                        byte[] boundary = bytes(1 + random.nextInt(200), random.nextInt());
                        queue.add(new ResponseBody.Composite(List.of(ResponseBody.Bytes.of(boundary), region(content, position, count),
                                ResponseBody.Bytes.of(boundary))));
                        expected.write(boundary, 0, boundary.length);
                        expected.write(content, position, count);
                        expected.write(boundary, 0, boundary.length);
                        regions++;
                    }
                }
            }
            releases.set(0);

            byte[] received = sendAll(queue, 1 + random.nextInt(3000));

            assertThat(received).as("round %d", round).isEqualTo(expected.toByteArray());
            assertThat(releases).as("releases in round %d", round).hasValue(regions);
        }
    }

    private byte[] sendAll(OutboundQueue queue) throws IOException {
        return sendAll(queue, 256 * 1024);
    }

    /** Flushes until the queue is empty, the peer reading at most {@code readSize} bytes between flushes. */
    private byte[] sendAll(OutboundQueue queue, int readSize) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer into = ByteBuffer.allocate(readSize);
        long expected = queue.queuedBytes();
        while (!queue.isEmpty() || received.size() < expected) {
            queue.flush(transport);
            into.clear();
            int read = peer.read(into);
            received.write(into.array(), 0, Math.max(read, 0));
        }
        return received.toByteArray();
    }

    private ResponseBody.FileRegion region(byte[] content, long position, long count) throws IOException {
        Path file = Files.createTempFile(dir, "region", ".bin");
        Files.write(file, content);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        return new ResponseBody.FileRegion(channel, position, count, () -> {
            releases.incrementAndGet();
            try {
                channel.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] slice(byte[] bytes, int from, int length) {
        byte[] slice = new byte[length];
        System.arraycopy(bytes, from, slice, 0, length);
        return slice;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /**
     * The plain transport, with the bytes each gathering write and each file transfer took, and
     * taking at most a budget of bytes at a time, as a socket with little room does.
     */
    private static final class RecordingTransport implements Transport {

        final List<Long> writes = new ArrayList<>();
        final List<Long> transferred = new ArrayList<>();
        private final Transport socket;
        IntSupplier budget = () -> Integer.MAX_VALUE;

        RecordingTransport(Transport socket) {
            this.socket = socket;
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
            // Cut the gather at the budget, then give back the limits the cut took.
            long left = budget.getAsInt();
            int[] limits = new int[length];
            int taken = 0;
            for (; taken < length && left > 0; taken++) {
                ByteBuffer source = sources[offset + taken];
                limits[taken] = source.limit();
                int allowed = (int) Math.min(source.remaining(), left);
                source.limit(source.position() + allowed);
                left -= allowed;
            }
            long written;
            try {
                written = socket.write(sources, offset, taken);
            } finally {
                for (int i = 0; i < taken; i++) {
                    sources[offset + i].limit(limits[i]);
                }
            }
            if (written > 0) {
                writes.add(written);
            }
            return written;
        }

        @Override
        public long transferFile(FileChannel file, long position, long count) throws IOException {
            long written = socket.transferFile(file, position, Math.min(count, budget.getAsInt()));
            if (written > 0) {
                transferred.add(written);
            }
            return written;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return socket.read(dst);
        }

        @Override
        public boolean hasBufferedInput() {
            return socket.hasBufferedInput();
        }

        @Override
        public void flush() throws IOException {
            socket.flush();
        }

        @Override
        public boolean hasPendingOutput() {
            return socket.hasPendingOutput();
        }

        @Override
        public boolean isEstablished() {
            return socket.isEstablished();
        }

        @Override
        public void shutdownOutput() throws IOException {
            socket.shutdownOutput();
        }

        @Override
        public boolean closesAtOnce() {
            return socket.closesAtOnce();
        }

        @Override
        public int discardInput(ByteBuffer scratch) throws IOException {
            return socket.discardInput(scratch);
        }

        @Override
        public int interestOps(int wanted) {
            return socket.interestOps(wanted);
        }

        @Override
        public HttpResponse addTransportHeaders(HttpResponse response) {
            return socket.addTransportHeaders(response);
        }

        @Override
        public void close(boolean clean) {
            socket.close(clean);
        }
    }
}
