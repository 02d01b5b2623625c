package dev.pier.http1;

import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpVersion;
import dev.pier.http.ParserLimits;
import static dev.pier.http1.ParserDriver.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests the parser accepts, and what it makes of them. Rejections and resumption have tests of their own. */
class RequestParserTest {

    record Expected(HttpMethod method, String path, String query, HttpVersion version, String headers, String body) {
    }

    static Stream<Arguments> validRequests() {
        return Stream.of(
                argumentSet("GET without a body",
                        "GET /index.html HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n",
                        new Expected(HttpMethod.GET, "/index.html", null, HttpVersion.HTTP_1_1, "[Host: example.com, Accept: */*]", "")),
                argumentSet("POST with Content-Length",
                        "POST /form?x=1 HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 12\r\n\r\nname=me&x=%4",
                        new Expected(HttpMethod.POST, "/form", "x=1", HttpVersion.HTTP_1_1,
                                "[Host: a, Content-Type: application/x-www-form-urlencoded, Content-Length: 12]", "name=me&x=%4")),
                argumentSet("body bytes are not interpreted",
                        "PUT /raw HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\n\r\n\0\u00ff\n\r",
                        new Expected(HttpMethod.PUT, "/raw", null, HttpVersion.HTTP_1_1, "[Host: a, Content-Length: 6]", "\r\n\0\u00ff\n\r")),
                argumentSet("Content-Length 0",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
                        new Expected(HttpMethod.POST, "/", null, HttpVersion.HTTP_1_1, "[Host: a, Content-Length: 0]", "")),
                argumentSet("identical Content-Length fields",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
                        new Expected(HttpMethod.POST, "/", null, HttpVersion.HTTP_1_1, "[Host: a, Content-Length: 3, Content-Length: 3]", "abc")),
                argumentSet("identical Content-Length list",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello",
                        new Expected(HttpMethod.POST, "/", null, HttpVersion.HTTP_1_1, "[Host: a, Content-Length: 5, 5]", "hello")),
                argumentSet("chunked with extensions and trailers",
                        "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "5;name=value\r\nhello\r\n6 ; a=1;b=\"q r\"\r\n world\r\nA\r\n0123456789\r\n0;last\r\nX-Checksum: 1\r\nX-Other: 2\r\n\r\n",
                        new Expected(HttpMethod.POST, "/upload", null, HttpVersion.HTTP_1_1, "[Host: a, Transfer-Encoding: chunked]", "hello world0123456789")),
                argumentSet("chunked, empty body, coding in upper case",
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n",
                        new Expected(HttpMethod.POST, "/", null, HttpVersion.HTTP_1_1, "[Host: a, Transfer-Encoding: Chunked]", "")),
                argumentSet("chunk sizes with leading zeros and lower-case hex",
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n000b\r\nhello world\r\n00\r\n\r\n",
                        new Expected(HttpMethod.POST, "/", null, HttpVersion.HTTP_1_1, "[Host: a, Transfer-Encoding: chunked]", "hello world")),
                argumentSet("chunk sizes with more leading zeros than a long has digits",
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "000000000000000000000000000000000000b\r\nhello world\r\n" + "0".repeat(40) + "\r\n\r\n",
                        new Expected(HttpMethod.POST, "/", null, HttpVersion.HTTP_1_1, "[Host: a, Transfer-Encoding: chunked]", "hello world")),
                argumentSet("HTTP/1.0 without Host",
                        "GET / HTTP/1.0\r\n\r\n",
                        new Expected(HttpMethod.GET, "/", null, HttpVersion.HTTP_1_0, "[]", "")),
                argumentSet("absolute form",
                        "GET http://example.com/a?b=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
                        new Expected(HttpMethod.GET, "/a", "b=1", HttpVersion.HTTP_1_1, "[Host: example.com]", "")),
                argumentSet("absolute form without a path",
                        "GET HTTPS://example.com:8443 HTTP/1.1\r\nHost: example.com:8443\r\n\r\n",
                        new Expected(HttpMethod.GET, "/", null, HttpVersion.HTTP_1_1, "[Host: example.com:8443]", "")),
                argumentSet("absolute form with a query but no path",
                        "GET http://example.com?q HTTP/1.1\r\nHost: example.com\r\n\r\n",
                        new Expected(HttpMethod.GET, "/", "q", HttpVersion.HTTP_1_1, "[Host: example.com]", "")),
                argumentSet("absolute form whose authority differs from Host",
                        "GET http://example.org/a HTTP/1.1\r\nHost: other.example:8080\r\n\r\n",
                        new Expected(HttpMethod.GET, "/a", null, HttpVersion.HTTP_1_1, "[Host: other.example:8080]", "")),
                argumentSet("empty Host",
                        "GET / HTTP/1.1\r\nHost:\r\n\r\n",
                        new Expected(HttpMethod.GET, "/", null, HttpVersion.HTTP_1_1, "[Host: ]", "")),
                argumentSet("IPv6 Host with a port",
                        "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
                        new Expected(HttpMethod.GET, "/", null, HttpVersion.HTTP_1_1, "[Host: [::1]:8080]", "")),
                argumentSet("HTTP/1.0 with a valid Host",
                        "GET / HTTP/1.0\r\nHost: 127.0.0.1:80\r\n\r\n",
                        new Expected(HttpMethod.GET, "/", null, HttpVersion.HTTP_1_0, "[Host: 127.0.0.1:80]", "")),
                argumentSet("asterisk form",
                        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
                        new Expected(HttpMethod.OPTIONS, "*", null, HttpVersion.HTTP_1_1, "[Host: a]", "")),
                argumentSet("empty lines before the request line",
                        "\r\n\r\n\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
                        new Expected(HttpMethod.GET, "/", null, HttpVersion.HTTP_1_1, "[Host: a]", "")),
                argumentSet("bare LF line endings",
                        "GET /lf HTTP/1.1\nHost: a\nX-A: 1\n\n",
                        new Expected(HttpMethod.GET, "/lf", null, HttpVersion.HTTP_1_1, "[Host: a, X-A: 1]", "")),
                argumentSet("mixed line endings",
                        "GET /mixed HTTP/1.1\nHost: a\r\nX-A: 1\n\r\n",
                        new Expected(HttpMethod.GET, "/mixed", null, HttpVersion.HTTP_1_1, "[Host: a, X-A: 1]", "")),
                argumentSet("encoded space",
                        "GET /a%20b HTTP/1.1\r\nHost: a\r\n\r\n",
                        new Expected(HttpMethod.GET, "/a b", null, HttpVersion.HTTP_1_1, "[Host: a]", "")),
                argumentSet("encoded slash",
                        "GET /a%2Fb%2f HTTP/1.1\r\nHost: a\r\n\r\n",
                        new Expected(HttpMethod.GET, "/a/b/", null, HttpVersion.HTTP_1_1, "[Host: a]", "")),
                argumentSet("encoded UTF-8, plus kept in the path, query left encoded",
                        "GET /caf%C3%A9+%E2%9C%93?q=%C3%A9+x HTTP/1.1\r\nHost: a\r\n\r\n",
                        new Expected(HttpMethod.GET, "/café+✓", "q=%C3%A9+x", HttpVersion.HTTP_1_1, "[Host: a]", "")),
                argumentSet("every character RFC 3986 allows in a path and query",
                        "GET /AZaz09-._~!$&'()*+,;=:@/x?a=/?:@-._~!$&'()*+,;= HTTP/1.1\r\nHost: a\r\n\r\n",
                        new Expected(HttpMethod.GET, "/AZaz09-._~!$&'()*+,;=:@/x", "a=/?:@-._~!$&'()*+,;=", HttpVersion.HTTP_1_1, "[Host: a]", "")),
                argumentSet("whitespace around field values trimmed, inside kept",
                        "GET / HTTP/1.1\r\nHost:a\r\nX-Spaces: \t one  two \t\r\nX-Empty:\r\nX-Blank:   \r\n\r\n",
                        new Expected(HttpMethod.GET, "/", null, HttpVersion.HTTP_1_1, "[Host: a, X-Spaces: one  two, X-Empty: , X-Blank: ]", "")),
                argumentSet("repeated fields kept in order, colons in values",
                        "GET / HTTP/1.1\r\nhost: a:80\r\nX-A: 1\r\nx-b: 2\r\nX-A: 3:4\r\n\r\n",
                        new Expected(HttpMethod.GET, "/", null, HttpVersion.HTTP_1_1, "[host: a:80, X-A: 1, x-b: 2, X-A: 3:4]", "")),
                argumentSet("obs-text in a value read as ISO-8859-1",
                        "GET / HTTP/1.1\r\nHost: a\r\nX-Name: Ren\u00e9e\r\n\r\n",
                        new Expected(HttpMethod.GET, "/", null, HttpVersion.HTTP_1_1, "[Host: a, X-Name: Ren\u00e9e]", "")),
                argumentSet("every token character in a field name",
                        "GET / HTTP/1.1\r\nHost: a\r\n!#$%&'*+-.^_`|~09azAZ: v\r\n\r\n",
                        new Expected(HttpMethod.GET, "/", null, HttpVersion.HTTP_1_1, "[Host: a, !#$%&'*+-.^_`|~09azAZ: v]", "")),
                argumentSet("HEAD", "HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n",
                        new Expected(HttpMethod.HEAD, "/h", null, HttpVersion.HTTP_1_1, "[Host: a]", "")),
                argumentSet("DELETE", "DELETE /d HTTP/1.1\r\nHost: a\r\n\r\n",
                        new Expected(HttpMethod.DELETE, "/d", null, HttpVersion.HTTP_1_1, "[Host: a]", "")),
                argumentSet("PATCH with a body", "PATCH /p HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}",
                        new Expected(HttpMethod.PATCH, "/p", null, HttpVersion.HTTP_1_1, "[Host: a, Content-Length: 2]", "{}")),
                argumentSet("TRACE", "TRACE / HTTP/1.1\r\nHost: a\r\n\r\n",
                        new Expected(HttpMethod.TRACE, "/", null, HttpVersion.HTTP_1_1, "[Host: a]", "")));
    }

    @ParameterizedTest
    @MethodSource("validRequests")
    void whenAValidRequestArrivesInOneReadThenItIsParsedAndConsumed(String raw, Expected expected) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes(raw));
        HttpRequest request = parsed(new RequestParser(ParserLimits.DEFAULTS).parse(buffer));
        assertThat(request.method()).isEqualTo(expected.method());
        assertThat(request.path()).isEqualTo(expected.path());
        assertThat(request.query()).isEqualTo(expected.query());
        assertThat(request.version()).isEqualTo(expected.version());
        assertThat(request.headers()).hasToString(expected.headers());
        assertThat(request.body()).asString(StandardCharsets.ISO_8859_1).isEqualTo(expected.body());
        assertThat(buffer.hasRemaining()).as("bytes left after the request").isFalse();
    }

    @Test
    void whenThePathIsEncodedThenTheRawPathAndTargetAreKept() {
        HttpRequest request = parse("GET /a%2Fb%20c?x=%20 HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(request.rawPath()).isEqualTo("/a%2Fb%20c");
        assertThat(request.path()).isEqualTo("/a/b c");
        assertThat(request.target().raw()).isEqualTo("/a%2Fb%20c?x=%20");
        assertThat(request.queryParameters()).isEqualTo(Map.of("x", List.of(" ")));
    }

    @Test
    void whenTheTargetIsInAbsoluteFormThenTheRawTargetKeepsTheAuthority() {
        HttpRequest request = parse("GET http://example.com/a?b=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertThat(request.target().raw()).isEqualTo("http://example.com/a?b=1");
        assertThat(request.rawPath()).isEqualTo("/a");
        assertThat(request.queryParameters()).isEqualTo(Map.of("b", List.of("1")));
    }

    @Test
    void whenHeadersAreLookedUpThenNamesIgnoreCase() {
        HttpRequest request = parse("GET / HTTP/1.1\r\nHost: a\r\nX-Multi: 1\r\nx-multi: 2\r\n\r\n");
        assertThat(request.header("HOST")).isEqualTo("a");
        assertThat(request.headers().all("X-MULTI")).containsExactly("1", "2");
        assertThat(request.header("X-Missing")).isNull();
    }

    @Test
    void whenAFormIsPostedThenItsFieldsAreDecoded() {
        HttpRequest request = parse("POST /f HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded; charset=UTF-8\r\n"
                + "Content-Length: 24\r\n\r\nname=J%C3%BCrgen&tag=a+b");
        assertThat(request.formFields()).containsExactly(Map.entry("name", List.of("Jürgen")), Map.entry("tag", List.of("a b")));
    }

    @Test
    void whenTheBodyIsNotAFormThenThereAreNoFormFields() {
        HttpRequest request = parse("POST /f HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\na=b");
        assertThat(request.formFields()).isEmpty();
    }

    @Test
    void whenManyEmptyLinesPrecedeTheRequestLineThenTheyAreSkippedWithoutExhaustingTheStack() {
        String raw = "\r\n".repeat(100_000) + "\n".repeat(100_000) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        HttpRequest request = parse(raw);
        assertThat(request.path()).isEqualTo("/");
    }

    @Test
    void whenNothingHasArrivedThenTheParserIsIdle() {
        RequestParser parser = new RequestParser(ParserLimits.DEFAULTS);
        assertThat(parser.parse(ByteBuffer.allocate(0))).isInstanceOf(ParseResult.NeedMore.class);
        assertThat(parser.inProgress()).isFalse();
        assertThat(parser.head()).isNull();
    }

    @Test
    void whenPartOfAHeadHasArrivedThenTheParserIsInProgressAndConsumesNothing() {
        RequestParser parser = new RequestParser(ParserLimits.DEFAULTS);
        ByteBuffer buffer = ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nHo"));
        assertThat(parser.parse(buffer)).isInstanceOf(ParseResult.NeedMore.class);
        assertThat(parser.inProgress()).isTrue();
        assertThat(buffer.position()).isZero();
        parser.reset();
        assertThat(parser.inProgress()).isFalse();
    }

    @Test
    void whenTheBodyIsBeingReadThenTheHeadIsKnownAndBodyBytesAreConsumed() {
        RequestParser parser = new RequestParser(ParserLimits.DEFAULTS);
        ByteBuffer buffer = ByteBuffer.wrap(bytes("PUT /up HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nhalf"));
        assertThat(parser.parse(buffer)).isInstanceOf(ParseResult.NeedMore.class);
        assertThat(parser.inProgress()).isTrue();
        assertThat(parser.head().target().path()).isEqualTo("/up");
        assertThat(buffer.hasRemaining()).isFalse();
        HttpRequest request = parsed(parser.parse(ByteBuffer.wrap(bytes("-done"))));
        assertThat(request.body()).asString(StandardCharsets.ISO_8859_1).isEqualTo("half-done");
    }

    static HttpRequest parse(String raw) {
        return parsed(new RequestParser(ParserLimits.DEFAULTS).parse(ByteBuffer.wrap(bytes(raw))));
    }

    static HttpRequest parsed(ParseResult result) {
        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) result).request();
    }
}
