package dev.pier.bench;

import dev.pier.http1.ParseResult;
import dev.pier.http.ParserLimits;
import dev.pier.http1.RequestParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Cost of parsing one request as a connection does: ns per request, and with {@code -prof gc} bytes per request. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestParserBenchmark {

    /** What wrk sends: the smallest realistic request. */
    private static final byte[] WRK = "GET /small.txt HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** What a browser sends for a page: a dozen fields, about 500 bytes. */
    private static final byte[] BROWSER = ("GET /docs/index.html?lang=en HTTP/1.1\r\n"
            + "Host: localhost:8080\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
            + "Accept-Language: en-GB,en;q=0.9\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Connection: keep-alive\r\n"
            + "Referer: http://localhost:8080/\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "Sec-Fetch-Dest: document\r\n"
            + "Sec-Fetch-Mode: navigate\r\n"
            + "Sec-Fetch-Site: same-origin\r\n"
            + "If-None-Match: \"5f3a-18c2b1f0a40\"\r\n"
            + "\r\n").getBytes(StandardCharsets.US_ASCII);

    private final RequestParser parser = new RequestParser(ParserLimits.DEFAULTS);
    private ByteBuffer wrk;
    private ByteBuffer browser;

    @Setup
    public void setUp() {
        wrk = ByteBuffer.wrap(WRK);
        browser = ByteBuffer.wrap(BROWSER);
    }

    @Benchmark
    public ParseResult wrkRequest() {
        return parse(wrk);
    }

    @Benchmark
    public ParseResult browserRequest() {
        return parse(browser);
    }

    private ParseResult parse(ByteBuffer request) {
        request.clear();
        parser.reset();
        return parser.parse(request);
    }
}
