package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request smuggling and strictness (RFC 9112 §6, §11.2) over a real socket: every ambiguous or
 * malformed framing and head is refused with its status and the connection closed, and the
 * request a front end might have seen hidden in it ({@code GET /smuggled}) is never answered. The
 * parser's own tests hold the full table; these prove the server acts on each verdict, and that
 * the valid forms of a Host field (RFC 9112 §3.2) are still served.
 */
@Timeout(20)
class SmugglingOverSocketTest {

    private static final String HOST = "Host: localhost\r\n";
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\n" + HOST + "\r\n";

    @TempDir
    Path root;

    private RunningServer server;

    @BeforeEach
    void startServer() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.writeString(root.resolve("smuggled"), "smuggled!");
        server = RunningServer.start(root, new Upload());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    static Stream<Arguments> ambiguousFraming() {
        return Stream.of(
                refused("Content-Length and Transfer-Encoding", post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n" + SMUGGLED, 400),
                refused("Transfer-Encoding and Content-Length", post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n") + "0\r\n\r\n" + SMUGGLED, 400),
                refused("two different Content-Length fields", post("Content-Length: 0\r\nContent-Length: 44\r\n") + SMUGGLED, 400),
                refused("a Content-Length list that differs", post("Content-Length: 0, 44\r\n") + SMUGGLED, 400),
                refused("non-digit Content-Length", post("Content-Length: 4a\r\n") + SMUGGLED, 400),
                refused("negative Content-Length", post("Content-Length: -1\r\n") + SMUGGLED, 400),
                refused("signed Content-Length", post("Content-Length: +0\r\n") + SMUGGLED, 400),
                refused("hex Content-Length", post("Content-Length: 0x0\r\n") + SMUGGLED, 400),
                refused("Content-Length with a space inside", post("Content-Length: 4 4\r\n") + SMUGGLED, 400),
                refused("Transfer-Encoding without chunked", post("Transfer-Encoding: gzip\r\n") + SMUGGLED, 400),
                refused("Transfer-Encoding identity", post("Transfer-Encoding: identity\r\n") + SMUGGLED, 400),
                refused("chunked not last", post("Transfer-Encoding: chunked, gzip\r\n") + "0\r\n\r\n" + SMUGGLED, 400),
                refused("chunked twice", post("Transfer-Encoding: chunked, chunked\r\n") + "0\r\n\r\n" + SMUGGLED, 400),
                refused("chunked twice in two fields", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n" + SMUGGLED, 400),
                refused("chunked spelled with a vertical tab", post("Transfer-Encoding: \u000bchunked\r\n") + "0\r\n\r\n" + SMUGGLED, 400),
                refused("space before the colon of Transfer-Encoding", post("Transfer-Encoding : chunked\r\n") + "0\r\n\r\n" + SMUGGLED, 400),
                refused("Transfer-Encoding folded onto another line", post("Transfer-Encoding:\r\n chunked\r\n") + "0\r\n\r\n" + SMUGGLED, 400),
                refused("Transfer-Encoding in HTTP/1.0", "POST /upload HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED, 400),
                refused("an unknown coding before chunked", post("Transfer-Encoding: gzip, chunked\r\n") + "0\r\n\r\n" + SMUGGLED, 501));
    }

    static Stream<Arguments> badChunks() {
        return Stream.of(
                refused("non-hex chunk size", chunked("zz\r\n"), 400),
                refused("negative chunk size", chunked("-1\r\nx\r\n0\r\n\r\n"), 400),
                refused("chunk size that overflows", chunked("10000000000000000\r\n"), 400),
                refused("chunk size with trailing garbage", chunked("5 x\r\nhello\r\n0\r\n\r\n"), 400),
                refused("chunk size with a leading space", chunked(" 5\r\nhello\r\n0\r\n\r\n"), 400),
                refused("chunk extension of 5 KiB", chunked("5;" + "e".repeat(5000) + "\r\nhello\r\n0\r\n\r\n"), 400),
                refused("control character in a chunk extension", chunked("5;a=\u0001\r\nhello\r\n0\r\n\r\n"), 400),
                refused("chunk data without its CRLF", chunked("5\r\nhelloX\r\n0\r\n\r\n"), 400),
                refused("chunk data longer than its size", chunked("3\r\nhello\r\n0\r\n\r\n"), 400),
                refused("bare LF after a chunk size", chunked("5\nhello\r\n0\r\n\r\n"), 400),
                refused("bare LF after chunk data", chunked("5\r\nhello\n0\r\n\r\n"), 400),
                refused("bare CR in a trailer", chunked("0\r\nX-T: a\rb\r\n\r\n"), 400));
    }

    static Stream<Arguments> malformedHeads() {
        return Stream.of(
                refused("whitespace before a colon", "GET / HTTP/1.1\r\n" + HOST + "X-A : 1\r\n\r\n" + SMUGGLED, 400),
                refused("obs-fold", "GET / HTTP/1.1\r\n" + HOST + "X-A: 1\r\n  2\r\n\r\n" + SMUGGLED, 400),
                refused("NUL in a value", "GET / HTTP/1.1\r\n" + HOST + "X-A: a\0b\r\n\r\n" + SMUGGLED, 400),
                refused("control character in a value", "GET / HTTP/1.1\r\n" + HOST + "X-A: a\u0007b\r\n\r\n" + SMUGGLED, 400),
                refused("bare CR in a value", "GET / HTTP/1.1\r\n" + HOST + "X-A: a\rGET /smuggled\r\n\r\n", 400),
                refused("bare CR ending the request line", "GET / HTTP/1.1\r" + HOST + "\r\n" + SMUGGLED, 400),
                refused("a space inside the target", "GET /a b HTTP/1.1\r\n" + HOST + "\r\n" + SMUGGLED, 400),
                refused("angle brackets in the target", "GET /<script> HTTP/1.1\r\n" + HOST + "\r\n" + SMUGGLED, 400),
                refused("a non-ASCII byte in the target", "GET /caf\u00e9 HTTP/1.1\r\n" + HOST + "\r\n" + SMUGGLED, 400),
                refused("an encoded NUL in the target", "GET /a%00 HTTP/1.1\r\n" + HOST + "\r\n" + SMUGGLED, 400),
                refused("a lowercase method", "get / HTTP/1.1\r\n" + HOST + "\r\n" + SMUGGLED, 501),
                refused("two spaces after the method", "GET  / HTTP/1.1\r\n" + HOST + "\r\n" + SMUGGLED, 400),
                refused("two spaces before the version", "GET /  HTTP/1.1\r\n" + HOST + "\r\n" + SMUGGLED, 400),
                refused("a tab instead of a space", "GET\t/ HTTP/1.1\r\n" + HOST + "\r\n" + SMUGGLED, 400),
                refused("a lowercase version", "GET / http/1.1\r\n" + HOST + "\r\n" + SMUGGLED, 400),
                refused("no Host", "GET / HTTP/1.1\r\n\r\n" + SMUGGLED, 400),
                refused("two Host fields", "GET / HTTP/1.1\r\n" + HOST + "Host: other\r\n\r\n" + SMUGGLED, 400),
                refused("a Host with a space", host("bad host") + SMUGGLED, 400),
                refused("a Host with a slash", host("a/b") + SMUGGLED, 400),
                refused("a Host with userinfo", host("x@y") + SMUGGLED, 400),
                refused("a Host with an unclosed IPv6 literal", host("[::1") + SMUGGLED, 400),
                refused("a Host whose port is not digits", host("h:port") + SMUGGLED, 400),
                refused("an invalid Host in HTTP/1.0", "GET / HTTP/1.0\r\nHost: bad host\r\n\r\n" + SMUGGLED, 400),
                refused("an invalid Host beside an absolute-form target", "GET http://example.org/ HTTP/1.1\r\nHost: bad host\r\n\r\n" + SMUGGLED, 400),
                refused("a field name with a slash", "GET / HTTP/1.1\r\n" + HOST + "X/A: 1\r\n\r\n" + SMUGGLED, 400));
    }

    @ParameterizedTest
    @MethodSource({"ambiguousFraming", "badChunks", "malformedHeads"})
    void whenRequestIsAmbiguousOrMalformedThenRefusedAndClosedAndNothingAfterItAnswered(String request, int status) throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(request).read();

            assertThat(response.status()).isEqualTo(status);
            assertThat(response.header("Connection")).isEqualTo("close");
            // End of stream next: neither a second response (to the smuggled request) nor a reset.
            assertThat(client.isClosedByServer()).isTrue();
        }
        assertThat(server.stats().rejected(status)).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/ | localhost", "/ | example.org:8080", "/ | [::1]:8080", "/ | xn--bcher-kva.example", "/ | 127.0.0.1:80", "/ | ''",
        // With an absolute-form target its authority is the one that counts (RFC 9112 §3.2.2): another valid Host is no error.
        "http://example.org/ | other.example:8080",
    })
    void whenTheHostIsValidThenServed(String target, String host) throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("<h1>home</h1>");
        }
    }

    private static Arguments refused(String name, String request, int status) {
        return argumentSet(name, request, status);
    }

    /** A GET of the site's index with the given Host value. */
    private static String host(String value) {
        return "GET / HTTP/1.1\r\nHost: " + value + "\r\n\r\n";
    }

    private static String post(String framing) {
        return "POST /upload HTTP/1.1\r\n" + HOST + framing + "\r\n";
    }

    private static String chunked(String body) {
        return post("Transfer-Encoding: chunked\r\n") + body + SMUGGLED;
    }

    /** Takes uploads, so a body that is accepted would be answered 200. */
    private static final class Upload implements HttpHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.method() == HttpMethod.POST && request.path().equals("/upload");
        }

        @Override
        public HttpResponse handle(HttpRequest request) {
            return HttpResponse.status(200).body("took " + request.body().length + " bytes").build();
        }
    }
}
