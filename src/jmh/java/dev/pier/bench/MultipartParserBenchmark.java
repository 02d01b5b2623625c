package dev.pier.bench;

import dev.pier.multipart.MultipartLimits;
import dev.pier.multipart.MultipartParser;
import dev.pier.multipart.Part;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing a 256 MiB form, one file part, fed in 64 KiB buffers as a socket would give them; the
 * listener only counts the bytes. MB/s = 256 MiB / the time per operation. Contents: random bytes
 * (a binary upload), text lines (a CR every 74 bytes), and bytes built to look like the delimiter
 * but for its last byte, the Horspool search's worst case here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class MultipartParserBenchmark {

    private static final int SIZE = 256 << 20;
    private static final int BUFFER = 64 << 10;
    private static final String BOUNDARY = "----WebKitFormBoundaryq3SbZ7xWv1nTt0Yr";

    @Param({"random", "text", "near-delimiters"})
    public String content;

    @Param({"heap", "direct"})
    public String memory;

    private ByteBuffer form;

    @Setup
    public void setUp() {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[SIZE];
        System.arraycopy(head, 0, bytes, 0, head.length);
        fill(bytes, head.length, SIZE - tail.length);
        System.arraycopy(tail, 0, bytes, SIZE - tail.length, tail.length);
        form = memory.equals("heap") ? ByteBuffer.wrap(bytes) : ByteBuffer.allocateDirect(SIZE).put(bytes).clear();
    }

    private void fill(byte[] bytes, int from, int to) {
        byte[] pattern = switch (content) {
            case "random" -> null;
            case "text" -> "The quick brown fox jumps over the lazy dog -- and so on, line after line.\r\n".getBytes(StandardCharsets.US_ASCII);
            default -> ("\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1) + "x").getBytes(StandardCharsets.US_ASCII);
        };
        if (pattern == null) {
            byte[] random = new byte[to - from];
            new Random(1).nextBytes(random);
            System.arraycopy(random, 0, bytes, from, random.length);
            return;
        }
        for (int i = from; i < to; i++) {
            bytes[i] = pattern[(i - from) % pattern.length];
        }
    }

    @Benchmark
    public long parse() throws Exception {
        Counter counter = new Counter();
        MultipartParser parser = new MultipartParser(BOUNDARY, MultipartLimits.DEFAULTS, counter);
        for (int offset = 0; offset < SIZE; offset += BUFFER) {
            form.limit(Math.min(SIZE, offset + BUFFER)).position(offset);
            parser.feed(form);
        }
        form.clear();
        parser.end();
        if (counter.bytes == 0 || !counter.ended) {
            throw new IllegalStateException("The form did not parse");
        }
        return counter.bytes;
    }

    private static final class Counter implements MultipartParser.Listener {

        long bytes;
        boolean ended;

        @Override
        public void partStarted(Part part) {
        }

        @Override
        public void partData(ByteBuffer data) {
            bytes += data.remaining();
        }

        @Override
        public void partEnded() {
        }

        @Override
        public void formEnded() {
            ended = true;
        }
    }
}
