package dev.pier.bench;

import dev.pier.http.HttpDate;
import dev.pier.http.HttpResponse;
import dev.pier.http.HttpVersion;
import dev.pier.http1.ResponseHead;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Cost of encoding the head of a static file response: ns per response, and with {@code -prof gc} bytes per response. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ResponseHeadBenchmark {

    private final HttpResponse file = HttpResponse.status(200)
            .contentType("text/plain;charset=utf-8")
            .header("Last-Modified", HttpDate.format(Instant.parse("2026-11-01T10:00:00Z")))
            .header("ETag", "\"400-18c2b1f0a40\"")
            .header("Accept-Ranges", "bytes")
            .build();

    @Benchmark
    public byte[] staticFileHead() {
        return ResponseHead.encode(file, 1024, true, HttpVersion.HTTP_1_1, "Pier/0.1.0", HttpDate.now());
    }
}
