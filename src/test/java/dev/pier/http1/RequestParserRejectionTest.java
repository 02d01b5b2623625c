package dev.pier.http1;

import dev.pier.http.ParserLimits;
import static dev.pier.http1.ParserDriver.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.ByteBuffer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a request is refused, with the status a client gets. Each case also names a fragment of
 * the reason, so a case cannot pass by tripping over a different check than the one it is about.
 */
class RequestParserRejectionTest {

    private static final String HOST = "Host: a\r\n";

    /** Small enough that each limit is easy to cross: request line 32, head 128, 4 fields, body 16. */
    static final ParserLimits SMALL = new ParserLimits(32, 128, 4, 16);

    static Stream<Arguments> malformedRequests() {
        return Stream.of(
                // Request line.
                rejected("no spaces", "GET\r\n" + HOST + "\r\n", 400, "request line"),
                rejected("no version", "GET /\r\n" + HOST + "\r\n", 400, "request line"),
                rejected("double space after the method", "GET  / HTTP/1.1\r\n" + HOST + "\r\n", 400, "request line"),
                rejected("double space before the version", "GET /  HTTP/1.1\r\n" + HOST + "\r\n", 400, "request line"),
                rejected("trailing space", "GET / HTTP/1.1 \r\n" + HOST + "\r\n", 400, "request line"),
                rejected("leading space", " GET / HTTP/1.1\r\n" + HOST + "\r\n", 400, "method"),
                rejected("tabs as separators", "GET\t/\tHTTP/1.1\r\n" + HOST + "\r\n", 400, "request line"),
                rejected("lower-case version", "GET / http/1.1\r\n" + HOST + "\r\n", 400, "request line"),
                rejected("version without minor", "GET / HTTP/1\r\n" + HOST + "\r\n", 400, "request line"),
                rejected("version with two-digit major", "GET / HTTP/11.1\r\n" + HOST + "\r\n", 400, "request line"),
                rejected("method not a token", "G(T / HTTP/1.1\r\n" + HOST + "\r\n", 400, "method"),
                rejected("HTTP/2.0", "GET / HTTP/2.0\r\n" + HOST + "\r\n", 505, "version"),
                rejected("HTTP/1.2", "GET / HTTP/1.2\r\n" + HOST + "\r\n", 505, "version"),
                rejected("HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", 505, "version"),
                rejected("unknown method", "FOO / HTTP/1.1\r\n" + HOST + "\r\n", 501, "method"),
                rejected("lower-case method", "get / HTTP/1.1\r\n" + HOST + "\r\n", 501, "method"),
                rejected("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501, "CONNECT"),
                // Host.
                rejected("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400, "Host"),
                rejected("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "Host"),
                rejected("two Host fields in different case", "GET / HTTP/1.0\r\nHost: a\r\nhOST: a\r\n\r\n", 400, "Host"),
                rejected("Host with a space", "GET / HTTP/1.1\r\nHost: bad host\r\n\r\n", 400, "Invalid Host"),
                rejected("Host with userinfo", "GET / HTTP/1.1\r\nHost: x@y\r\n\r\n", 400, "Invalid Host"),
                rejected("Host with a path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, "Invalid Host"),
                rejected("Host with an unclosed IPv6 literal", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400, "Invalid Host"),
                rejected("Host with a port that is not digits", "GET / HTTP/1.1\r\nHost: h:port\r\n\r\n", 400, "Invalid Host"),
                rejected("invalid Host in HTTP/1.0", "GET / HTTP/1.0\r\nHost: bad host\r\n\r\n", 400, "Invalid Host"),
                rejected("invalid Host beside an absolute-form target", "GET http://example.org/ HTTP/1.1\r\nHost: bad host\r\n\r\n", 400, "Invalid Host"),
                // Target characters.
                rejected("space in the target", "GET /a b HTTP/1.1\r\n" + HOST + "\r\n", 400, "request line"),
                rejected("< in the target", "GET /<script> HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("quote in the target", "GET /\"a\" HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("backslash in the target", "GET /a\\..\\b HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("fragment in the target", "GET /a#top HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("brace in the target", "GET /{x} HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("non-ASCII byte in the target", "GET /caf\u00e9 HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("raw UTF-8 in the target", "GET /caf\u00c3\u00a9 HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("NUL in the target", "GET /a\0b HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("control character in the target", "GET /a\u0001b HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("tab in the target", "GET /a\tb HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("DEL in the target", "GET /a\u007fb HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("relative target", "GET a/b HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("absolute target of another scheme", "GET ftp://example.com/ HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("asterisk with GET", "GET * HTTP/1.1\r\n" + HOST + "\r\n", 400, "Asterisk"),
                rejected("asterisk with POST", "POST * HTTP/1.1\r\n" + HOST + "Content-Length: 0\r\n\r\n", 400, "Asterisk"),
                rejected("asterisk followed by more", "OPTIONS *a HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                // Escapes.
                rejected("non-hex escape", "GET /%zz HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("escape cut short", "GET /a%2 HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("escape cut short before the query", "GET /a%2?x HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("percent at the end", "GET /a% HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("encoded NUL", "GET /a%00 HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("invalid UTF-8", "GET /%ff HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("truncated UTF-8", "GET /%C3 HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("overlong UTF-8 for a slash", "GET /%C0%AF HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("overlong UTF-8 for a dot", "GET /%C0%AE%C0%AE/etc HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                rejected("UTF-8 encoded surrogate", "GET /%ED%A0%80 HTTP/1.1\r\n" + HOST + "\r\n", 400, "target"),
                // Header fields.
                rejected("space before the colon", "GET / HTTP/1.1\r\n" + HOST + "X-A : 1\r\n\r\n", 400, "header field"),
                rejected("tab before the colon", "GET / HTTP/1.1\r\n" + HOST + "X-A\t: 1\r\n\r\n", 400, "header field"),
                rejected("Host with a space before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, "header field"),
                rejected("empty field name", "GET / HTTP/1.1\r\n" + HOST + ": 1\r\n\r\n", 400, "header field"),
                rejected("field without a colon", "GET / HTTP/1.1\r\n" + HOST + "NoColon\r\nX-A: 1\r\n\r\n", 400, "header field"),
                rejected("field name not a token", "GET / HTTP/1.1\r\n" + HOST + "X(A): 1\r\n\r\n", 400, "header field"),
                rejected("non-ASCII field name", "GET / HTTP/1.1\r\n" + HOST + "X-\u00c4: 1\r\n\r\n", 400, "header field"),
                rejected("obs-fold with a space", "GET / HTTP/1.1\r\n" + HOST + "X-A: 1\r\n 2\r\n\r\n", 400, "folding"),
                rejected("obs-fold with a tab", "GET / HTTP/1.1\r\n" + HOST + "X-A: 1\r\n\t2\r\n\r\n", 400, "folding"),
                rejected("whitespace before the first field", "GET / HTTP/1.1\r\n " + HOST + "\r\n", 400, "folding"),
                rejected("NUL in a value", "GET / HTTP/1.1\r\n" + HOST + "X-A: a\0b\r\n\r\n", 400, "Control character"),
                rejected("escape character in a value", "GET / HTTP/1.1\r\n" + HOST + "X-A: \u001b[31m\r\n\r\n", 400, "Control character"),
                rejected("DEL in a value", "GET / HTTP/1.1\r\n" + HOST + "X-A: a\u007f\r\n\r\n", 400, "Control character"),
                rejected("bare CR ending the request line", "GET / HTTP/1.1\r" + HOST + "\r\n", 400, "Bare CR"),
                rejected("bare CR in a value", "GET / HTTP/1.1\r\n" + HOST + "X-A: a\rb\r\n\r\n", 400, "Bare CR"),
                rejected("CR CR LF", "GET / HTTP/1.1\r\r\n" + HOST + "\r\n", 400, "Bare CR"),
                // Framing.
                rejected("Content-Length with Transfer-Encoding",
                        "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "Both"),
                rejected("Transfer-Encoding with Content-Length",
                        "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400, "Both"),
                rejected("differing Content-Length fields", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400, "Content-Length"),
                rejected("differing Content-Length list", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 5, 6\r\n\r\nhello!", 400, "Content-Length"),
                rejected("Content-Length list with an empty element", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 5,\r\n\r\nhello", 400, "Content-Length"),
                rejected("empty Content-Length", "POST / HTTP/1.1\r\n" + HOST + "Content-Length:\r\n\r\n", 400, "Content-Length"),
                rejected("non-digit Content-Length", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: five\r\n\r\nhello", 400, "Content-Length"),
                rejected("hex Content-Length", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 0x5\r\n\r\nhello", 400, "Content-Length"),
                rejected("negative Content-Length", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: -1\r\n\r\n", 400, "Content-Length"),
                rejected("signed Content-Length", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: +5\r\n\r\nhello", 400, "Content-Length"),
                rejected("Content-Length with inner space", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 1 0\r\n\r\n", 400, "Content-Length"),
                rejected("Transfer-Encoding not ending in chunked", "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip\r\n\r\n", 400, "chunked"),
                rejected("chunked then gzip", "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400, "chunked"),
                rejected("chunked twice", "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400, "Transfer-Encoding"),
                rejected("empty Transfer-Encoding", "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: \r\n\r\n", 400, "chunked"),
                rejected("gzip, chunked", "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501, "gzip"),
                rejected("gzip and chunked in two fields", "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501, "gzip"),
                rejected("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "HTTP/1.0"),
                // Chunked framing.
                rejected("non-hex chunk size", chunked("zz\r\nhello\r\n0\r\n\r\n"), 400, "chunk size"),
                rejected("empty chunk size", chunked("\r\nhello\r\n0\r\n\r\n"), 400, "chunk size"),
                rejected("negative chunk size", chunked("-5\r\nhello\r\n0\r\n\r\n"), 400, "chunk size"),
                rejected("chunk size with 16 significant hex digits", chunked("1000000000000000\r\nhello\r\n0\r\n\r\n"), 400, "chunk size"),
                rejected("chunk size with 16 significant hex digits after leading zeros", chunked("0000001000000000000000\r\nhello\r\n0\r\n\r\n"), 400, "chunk size"),
                rejected("chunk size overflowing a long", chunked("ffffffffffffffffff\r\nhello\r\n0\r\n\r\n"), 400, "chunk size"),
                rejected("garbage after the chunk size", chunked("5x\r\nhello\r\n0\r\n\r\n"), 400, "chunk size"),
                rejected("control character in a chunk extension", chunked("5;a=\0\r\nhello\r\n0\r\n\r\n"), 400, "chunk size"),
                rejected("chunk data longer than its size", chunked("5\r\nhello!\r\n0\r\n\r\n"), 400, "CRLF after chunk data"),
                rejected("chunk data without CRLF", chunked("5\r\nhello0\r\n\r\n"), 400, "CRLF after chunk data"),
                rejected("bare LF after a chunk size", chunked("5\nhello\r\n0\r\n\r\n"), 400, "chunk size line"),
                rejected("bare CR after a chunk size", chunked("5\rhello\r\n0\r\n\r\n"), 400, "chunk size line"),
                rejected("bare LF after chunk data", chunked("5\r\nhello\n0\r\n\r\n"), 400, "CRLF after chunk data"),
                rejected("bare LF after the last chunk", chunked("5\r\nhello\r\n0\n\r\n"), 400, "chunk size line"),
                rejected("bare LF ending a trailer field", chunked("0\r\nX-T: 1\n\r\n"), 400, "trailer"),
                rejected("bare LF ending the trailer section", chunked("0\r\nX-T: 1\r\n\n"), 400, "trailer"),
                rejected("chunk-size line too long", chunked("5;" + "x".repeat(ChunkedDecoder.MAX_SIZE_LINE) + "\r\nhello\r\n0\r\n\r\n"), 400, "chunk size"));
    }

    @ParameterizedTest
    @MethodSource("malformedRequests")
    void whenARequestIsMalformedThenItIsRejectedWithItsStatus(String raw, int status, String reason) {
        ParseResult result = new RequestParser(ParserLimits.DEFAULTS).parse(ByteBuffer.wrap(bytes(raw)));
        assertRejected(result, status, reason);
    }

    static Stream<Arguments> requestsOverTheLimits() {
        return Stream.of(
                rejected("request line one byte too long", "GET /" + "a".repeat(19) + " HTTP/1.1\r\n" + HOST + "\r\n", 414, "Request line"),
                rejected("request line too long, before its end arrives", "GET /" + "a".repeat(40), 414, "Request line"),
                rejected("header section one byte too large", "GET / HTTP/1.1\r\n" + HOST + "X-A: " + "v".repeat(95) + "\r\n\r\n", 431, "header section"),
                rejected("header section too large, before its end arrives", "GET / HTTP/1.1\r\n" + HOST + "X-A: " + "v".repeat(200), 431, "header section"),
                rejected("too many header fields", "GET / HTTP/1.1\r\n" + HOST + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", 431, "header fields"),
                rejected("too many empty header fields", "GET / HTTP/1.1\r\n" + HOST + "A:\r\nB:\r\nC:\r\nD:\r\n\r\n", 431, "header fields"),
                rejected("Content-Length above the limit, before any body byte", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 17\r\n\r\n", 413, "larger"),
                rejected("Content-Length above a long", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 99999999999999999999999\r\n\r\n", 413, "larger"),
                rejected("one chunk above the limit, before its data", chunked("11\r\n"), 413, "larger"),
                rejected("chunks adding up to more than the limit", chunked("a\r\n0123456789\r\n7\r\n"), 413, "larger"),
                rejected("largest chunk size above the limit", chunked("fffffffffffffff\r\n"), 413, "larger"),
                rejected("trailer section too large", chunked("0\r\nX-T: " + "t".repeat(130) + "\r\n\r\n"), 431, "Trailer"),
                rejected("too many trailer fields", chunked("0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n"), 431, "trailer fields"));
    }

    @ParameterizedTest
    @MethodSource("requestsOverTheLimits")
    void whenARequestExceedsALimitThenItIsRejectedWithItsStatus(String raw, int status, String reason) {
        ParseResult result = new RequestParser(SMALL).parse(ByteBuffer.wrap(bytes(raw)));
        assertRejected(result, status, reason);
    }

    static Stream<Arguments> requestsAtTheLimits() {
        return Stream.of(
                argumentSet("request line of exactly the limit", "GET /" + "a".repeat(18) + " HTTP/1.1\r\n" + HOST + "\r\n"),
                argumentSet("header section of exactly the limit, line endings included", "GET / HTTP/1.1\r\n" + HOST + "X-A: " + "v".repeat(94) + "\r\n\r\n"),
                argumentSet("as many header fields as the limit", "GET / HTTP/1.1\r\n" + HOST + "A: 1\r\nB: 2\r\nC: 3\r\n\r\n"),
                argumentSet("Content-Length of exactly the limit", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 16\r\n\r\n0123456789abcdef"),
                argumentSet("chunks adding up to exactly the limit", chunked("a\r\n0123456789\r\n6\r\nabcdef\r\n0\r\n\r\n")),
                argumentSet("as many trailer fields as the limit", chunked("0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n")));
    }

    @ParameterizedTest
    @MethodSource("requestsAtTheLimits")
    void whenARequestIsExactlyAtALimitThenItIsAccepted(String raw) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes(raw));
        assertThat(new RequestParser(SMALL).parse(buffer)).isInstanceOf(ParseResult.Parsed.class);
        assertThat(buffer.hasRemaining()).isFalse();
    }

    @Test
    void whenTheDeclaredBodyIsTooLargeThenItIsRejectedWithoutReadingTheBody() {
        String head = "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 17\r\n\r\n";
        ByteBuffer buffer = ByteBuffer.wrap(bytes(head + "0123456789abcdefg"));
        assertRejected(new RequestParser(SMALL).parse(buffer), 413, "larger");
        assertThat(buffer.position()).isEqualTo(head.length());
    }

    @Test
    void whenARequestLineIsTooLongThenItIsRejectedAsSoonAsTheLimitIsCrossed() {
        RequestParser parser = new RequestParser(SMALL);
        String line = "GET /" + "a".repeat(27);
        assertThat(parser.parse(ByteBuffer.wrap(bytes(line)))).isInstanceOf(ParseResult.NeedMore.class);
        assertRejected(parser.parse(ByteBuffer.wrap(bytes(line + "a"))), 414, "Request line");
    }

    @Test
    void whenAHeadIsTooLargeThenItIsRejectedAsSoonAsTheLimitIsCrossed() {
        RequestParser parser = new RequestParser(SMALL);
        String head = "GET / HTTP/1.1\r\n" + HOST + "X-A: " + "v".repeat(98);
        assertThat(parser.parse(ByteBuffer.wrap(bytes(head)))).isInstanceOf(ParseResult.NeedMore.class);
        assertRejected(parser.parse(ByteBuffer.wrap(bytes(head + "v"))), 431, "header section");
    }

    @Test
    void whenTheBodyLimitIsLargerThanAnArrayThenTheLimitsAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ParserLimits(8192, 16384, 100, 4L << 30));
        assertThat(new ParserLimits(8192, 16384, 100, ParserLimits.MAX_BODY).body()).isEqualTo(Integer.MAX_VALUE - 8);
    }

    @Test
    void whenLimitsAreInconsistentThenTheyAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ParserLimits(15, 16384, 100, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new ParserLimits(8192, 8191, 100, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new ParserLimits(8192, 16384, 0, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new ParserLimits(8192, 16384, 100, -1));
    }

    static Arguments rejected(String name, String raw, int status, String reason) {
        return argumentSet(name, raw, status, reason);
    }

    /** A chunked POST whose body section is {@code body}. */
    static String chunked(String body) {
        return "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n" + body;
    }

    static void assertRejected(ParseResult result, int status, String reason) {
        assertThat(result).isInstanceOfSatisfying(ParseResult.Rejected.class, rejected -> {
            assertThat(rejected.status()).as("status of %s", rejected).isEqualTo(status);
            assertThat(rejected.reason()).containsIgnoringCase(reason);
        });
    }
}
