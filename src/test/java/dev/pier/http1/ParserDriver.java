package dev.pier.http1;

import dev.pier.http.HttpRequest;
import dev.pier.http.ParserLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds a {@link RequestParser} the way a connection does: bytes are appended to a buffer kept in
 * write mode, which is flipped for parsing and compacted afterwards, so whatever the parser left
 * unconsumed (a partial head, a partial chunk-size line) is kept for the next read. After each
 * {@link ParseResult.Parsed} the parser is reset and parsing goes on with the pipelined bytes.
 * After a {@link ParseResult.Rejected} the connection would close, so further bytes are ignored.
 */
final class ParserDriver {

    private final RequestParser parser;
    private final List<HttpRequest> requests = new ArrayList<>();
    private ByteBuffer buffer = ByteBuffer.allocate(64);
    private ParseResult last = new ParseResult.NeedMore();

    ParserDriver(ParserLimits limits) {
        this.parser = new RequestParser(limits);
    }

    ParserDriver() {
        this(ParserLimits.DEFAULTS);
    }

    /** Parses {@code bytes} in one read. */
    static ParserDriver whole(ParserLimits limits, byte[] bytes) {
        return new ParserDriver(limits).feed(bytes);
    }

    /** Parses {@code bytes} in reads that end at each of the ascending {@code cuts}, then the rest. */
    static ParserDriver split(ParserLimits limits, byte[] bytes, int... cuts) {
        ParserDriver driver = new ParserDriver(limits);
        int from = 0;
        for (int cut : cuts) {
            driver.feed(bytes, from, cut);
            from = cut;
        }
        return driver.feed(bytes, from, bytes.length);
    }

    /** Parses {@code bytes} one read per byte. */
    static ParserDriver byteByByte(ParserLimits limits, byte[] bytes) {
        ParserDriver driver = new ParserDriver(limits);
        for (int i = 0; i < bytes.length; i++) {
            driver.feed(bytes, i, i + 1);
        }
        return driver;
    }

    ParserDriver feed(String latin1) {
        return feed(bytes(latin1));
    }

    ParserDriver feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    ParserDriver feed(byte[] bytes, int from, int to) {
        if (last instanceof ParseResult.Rejected) {
            return this;
        }
        if (buffer.remaining() < to - from) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + to - from));
            larger.put(buffer.flip());
            buffer = larger;
        }
        buffer.put(bytes, from, to - from).flip();
        while (true) {
            last = parser.parse(buffer);
            if (!(last instanceof ParseResult.Parsed parsed)) {
                break;
            }
            requests.add(parsed.request());
            parser.reset();
        }
        buffer.compact();
        return this;
    }

    /** The requests parsed so far, in order. */
    List<HttpRequest> requests() {
        return requests;
    }

    /** The only request parsed; fails if there is not exactly one. */
    HttpRequest request() {
        if (requests.size() != 1 || !(last instanceof ParseResult.NeedMore)) {
            throw new AssertionError("Expected one request, got " + transcript());
        }
        return requests.get(0);
    }

    /** What the last parse answered: {@link ParseResult.NeedMore} or a {@link ParseResult.Rejected}. */
    ParseResult last() {
        return last;
    }

    /** Bytes received but not consumed by the parser. */
    byte[] buffered() {
        byte[] kept = new byte[buffer.position()];
        buffer.duplicate().flip().get(kept);
        return kept;
    }

    RequestParser parser() {
        return parser;
    }

    /** Everything observable about the feeding, to compare different ways of feeding the same bytes. */
    String transcript() {
        StringBuilder text = new StringBuilder();
        for (HttpRequest request : requests) {
            text.append(describe(request)).append('\n');
        }
        if (last instanceof ParseResult.Rejected rejected) {
            return text.append(rejected).toString();
        }
        return text.append("NeedMore, buffered ").append(escape(buffered())).toString();
    }

    static String describe(HttpRequest request) {
        return request.method() + " raw=" + request.target().raw() + " path=" + request.path() + " query=" + request.query()
                + " " + request.version() + " " + request.headers() + " body=" + escape(request.body());
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Printable ASCII as is, everything else as {@code \xNN}, so failures show the exact bytes. */
    static String escape(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == '\r') {
                text.append("\\r");
            } else if (c == '\n') {
                text.append("\\n");
            } else if (c >= 0x20 && c < 0x7f && c != '\\') {
                text.append((char) c);
            } else {
                text.append(String.format("\\x%02x", c));
            }
        }
        return text.toString();
    }
}
