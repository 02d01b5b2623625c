package dev.pier.http1;

import dev.pier.http.HttpRequest;
import dev.pier.http.ParserLimits;
import static dev.pier.http1.ParserDriver.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bytes arrive in whatever pieces the network makes: every split of a request, and one byte at a
 * time, must parse exactly as the whole (Jetty's {@code testSplitHeaderParse}, Undertow's
 * {@code ParserResumeTestCase}). Also pipelining: requests sharing a buffer parse in order.
 */
class RequestParserResumeTest {

    private static final String GET = "GET /first?a=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n";
    private static final String POST = "POST /second HTTP/1.1\r\nHost: example.com\r\nContent-Length: 11\r\n\r\nhello world";
    private static final String CHUNKED = "PUT /third HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;ext=1\r\nhello\r\n1 ; a=\"b\"\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n";

    static Stream<Arguments> requests() {
        return Stream.of(
                argumentSet("GET", GET),
                argumentSet("POST with Content-Length", POST),
                argumentSet("chunked with extensions and trailers", CHUNKED),
                argumentSet("HTTP/1.0, empty lines first, bare LF", "\r\n\nGET /old HTTP/1.0\nUser-Agent: x\n\n"),
                argumentSet("encoded absolute form", "GET http://example.com/a%20b?c=%2F HTTP/1.1\r\nHost: example.com\r\n\r\n"),
                argumentSet("three pipelined requests", GET + POST + CHUNKED),
                argumentSet("a request and part of the next", POST + "GET /fourth HT"),
                argumentSet("bare CR", "GET / HTTP/1.1\rHost: a\r\n\r\n"),
                argumentSet("chunk data without CRLF", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n"),
                argumentSet("bare LF in a trailer", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 1\nY: 2\r\n\r\n"),
                argumentSet("valid request, then an invalid one", GET + "GET / HTTP/3.0\r\n\r\n"));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void whenBytesAreSplitInTwoAtAnyOffsetThenTheOutcomeIsTheSameAsInOneRead(String raw) {
        byte[] bytes = bytes(raw);
        String whole = ParserDriver.whole(ParserLimits.DEFAULTS, bytes).transcript();
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertThat(ParserDriver.split(ParserLimits.DEFAULTS, bytes, cut).transcript()).as("split at %d", cut).isEqualTo(whole);
        }
    }

    @ParameterizedTest
    @MethodSource("requests")
    void whenBytesAreSplitInThreeAtAnyOffsetsThenTheOutcomeIsTheSameAsInOneRead(String raw) {
        byte[] bytes = bytes(raw);
        String whole = ParserDriver.whole(ParserLimits.DEFAULTS, bytes).transcript();
        for (int first = 0; first <= bytes.length; first++) {
            for (int second = first; second <= bytes.length; second++) {
                assertThat(ParserDriver.split(ParserLimits.DEFAULTS, bytes, first, second).transcript())
                        .as("split at %d and %d", first, second).isEqualTo(whole);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("requests")
    void whenBytesArriveOneAtATimeThenTheOutcomeIsTheSameAsInOneRead(String raw) {
        byte[] bytes = bytes(raw);
        String whole = ParserDriver.whole(ParserLimits.DEFAULTS, bytes).transcript();
        assertThat(ParserDriver.byteByByte(ParserLimits.DEFAULTS, bytes).transcript()).isEqualTo(whole);
    }

    @Test
    void whenTheBytesOfOneRequestAreSplitThenItIsParsedOnce() {
        ParserDriver driver = ParserDriver.byteByByte(ParserLimits.DEFAULTS, bytes(CHUNKED));
        assertThat(driver.request().body()).asString(StandardCharsets.US_ASCII).isEqualTo("hello world");
        assertThat(driver.buffered()).isEmpty();
    }

    @Test
    void whenThreeRequestsArriveInOneBufferThenTheyParseInOrderAndTheBufferFollows() {
        ByteBuffer buffer = ByteBuffer.wrap(bytes(GET + POST + CHUNKED));
        RequestParser parser = new RequestParser(ParserLimits.DEFAULTS);

        HttpRequest first = RequestParserTest.parsed(parser.parse(buffer));
        assertThat(first.path()).isEqualTo("/first");
        assertThat(buffer.position()).isEqualTo(GET.length());
        parser.reset();

        HttpRequest second = RequestParserTest.parsed(parser.parse(buffer));
        assertThat(second.path()).isEqualTo("/second");
        assertThat(second.body()).asString(StandardCharsets.US_ASCII).isEqualTo("hello world");
        assertThat(buffer.position()).isEqualTo(GET.length() + POST.length());
        parser.reset();

        HttpRequest third = RequestParserTest.parsed(parser.parse(buffer));
        assertThat(third.path()).isEqualTo("/third");
        assertThat(third.body()).asString(StandardCharsets.US_ASCII).isEqualTo("hello world");
        assertThat(buffer.hasRemaining()).isFalse();
        parser.reset();

        assertThat(parser.parse(buffer)).isInstanceOf(ParseResult.NeedMore.class);
        assertThat(parser.inProgress()).isFalse();
    }

    @Test
    void whenAPartialRequestFollowsPipelinedOnesThenItsBytesAreKeptUntilItCompletes() {
        String fourth = "POST /fourth HTTP/1.1\r\nHost: example.com\r\nContent-Length: 4\r\n\r\nbody";
        int partial = fourth.indexOf("Content-Length");
        ParserDriver driver = new ParserDriver().feed(GET + POST + CHUNKED + fourth.substring(0, partial));

        assertThat(driver.requests()).extracting(HttpRequest::path).containsExactly("/first", "/second", "/third");
        assertThat(driver.last()).isInstanceOf(ParseResult.NeedMore.class);
        assertThat(driver.parser().inProgress()).isTrue();
        assertThat(driver.buffered()).asString(StandardCharsets.US_ASCII).isEqualTo(fourth.substring(0, partial));

        driver.feed(fourth.substring(partial));
        assertThat(driver.requests()).extracting(HttpRequest::path).containsExactly("/first", "/second", "/third", "/fourth");
        assertThat(driver.requests().get(3).body()).asString(StandardCharsets.US_ASCII).isEqualTo("body");
        assertThat(driver.buffered()).isEmpty();
    }

    @Test
    void whenPartOfABodyHasArrivedThenItIsConsumedAndTheRestCompletesTheRequest() {
        ParserDriver driver = new ParserDriver().feed(POST.substring(0, POST.length() - 5));
        assertThat(driver.requests()).isEmpty();
        assertThat(driver.buffered()).as("body bytes are consumed as they arrive").isEmpty();
        driver.feed("world" + GET);
        assertThat(driver.requests()).extracting(HttpRequest::path).containsExactly("/second", "/first");
    }

    @Test
    void whenAChunkSizeLineIsIncompleteThenItIsKeptInTheBuffer() {
        String head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        ParserDriver driver = new ParserDriver().feed(head + "5\r\nhello\r\n1");
        assertThat(driver.buffered()).asString(StandardCharsets.US_ASCII).isEqualTo("1");
        driver.feed("0\r\n0123456789abcdef\r\n0\r\n\r\n");
        assertThat(driver.request().body()).asString(StandardCharsets.US_ASCII).isEqualTo("hello0123456789abcdef");
    }
}
