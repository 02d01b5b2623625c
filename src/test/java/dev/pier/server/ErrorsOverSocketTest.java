package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpException;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a client sees when its request is malformed, unsupported, or its handler fails. */
@Timeout(20)
class ErrorsOverSocketTest {

    @TempDir
    Path root;

    private RunningServer server;

    @BeforeEach
    void startServer() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        server = RunningServer.start(root, new Failing("/boom", false), new Failing("/boom-blocking", true), new Teapot(), new ReturnsNull());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GARBAGE\r\n\r\n",
            "GET /\r\n\r\n",
            "GET  / HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET / HTTP/1.1 extra\r\nHost: localhost\r\n\r\n",
            "GET / http/1.1\r\nHost: localhost\r\n\r\n",
            "GET /a b HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET / HTTP/1.1\r\nHost : localhost\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\n folded\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
    })
    void whenMalformedRequestThenBadRequestAndClosed(String request) throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(request).read();

            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {" | Missing Host header", "bad host | Invalid Host header"})
    void whenHttp11WithoutAValidHostThenBadRequestSayingWhyAndClosed(String host, String reason) throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET /index.html HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n") + "\r\n").read();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.bodyText()).contains(reason);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenHeaderSectionTooLargeThenHeaderFieldsTooLargeAndClosed() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n").read();

            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenRequestLineTooLongThenUriTooLongAndClosed() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(RawClient.get("/" + "u".repeat(9_000))).read();

            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 414 URI Too Long");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenHttp2VersionThenVersionNotSupported() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET / HTTP/2.0\r\nHost: localhost\r\n\r\n").read();

            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 505 HTTP Version Not Supported");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenUnknownMethodThenNotImplemented() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("FOO / HTTP/1.1\r\nHost: localhost\r\n\r\n").read();

            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 501 Not Implemented");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /missing HTTP/1.1\r\nHost: localhost\r\nAccept: text/html,*/*\r\n\r\n", "GET /a<b> HTTP/1.1\r\n\r\n"})
    void whenErrorThenShortHtmlPage(String request) throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(request).read();

            assertThat(response.status()).isIn(400, 404);
            assertThat(response.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
            assertThat(response.header("Cache-Control")).isEqualTo("no-store");
            assertThat(response.body().length).isLessThan(2048);
            assertThat(response.bodyText())
                    .startsWith("<!doctype html>")
                    .contains("<title>" + response.status() + " ")
                    .endsWith("</html>\n")
                    .doesNotContain("<b>");
        }
    }

    @Test
    void whenClientAcceptsJsonThenErrorAsJson() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET /missing?q=1 HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(404);
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            JsonNode json = JsonMapper.shared().readTree(response.body());
            assertThat(json.get("status").asInt()).isEqualTo(404);
            assertThat(json.get("error").asString()).isEqualTo("Not Found");
            assertThat(json.get("path").asString()).isEqualTo("/missing");
            assertThat(json.get("timestamp").asString()).isNotEmpty();
            assertThat(json.get("message").asString()).isNotEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/boom", "/boom-blocking", "/null"})
    void whenHandlerFailsThenServerErrorAndConnectionClosedButServerStillServes(String path) throws IOException {
        try (RawClient client = server.connect()) {
            // A pipelined request behind the failing one is not answered: the handler may have left anything half done.
            RawResponse failed = client.send(RawClient.get(path) + RawClient.get("/index.html")).read();

            assertThat(failed.statusLine()).isEqualTo("HTTP/1.1 500 Internal Server Error");
            assertThat(failed.header("Connection")).isEqualTo("close");
            assertThat(failed.bodyText()).doesNotContain("secret detail");
            assertThat(client.isClosedByServer()).isTrue();
        }
        try (RawClient client = server.connect()) {
            RawResponse next = client.send(RawClient.get("/index.html")).read();

            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo("<h1>home</h1>");
        }
        assertThat(server.stats().handlerFailures()).isEqualTo(1);
    }

    @Test
    void whenHandlerThrowsHttpExceptionThenItsStatusAndMessage() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(RawClient.get("/teapot")).read();
            RawResponse json = client.send("GET /teapot HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n").read();

            assertThat(response.statusLine()).startsWith("HTTP/1.1 418 ");
            assertThat(response.bodyText()).contains("I brew tea, not coffee");
            assertThat(JsonMapper.shared().readTree(json.body()).get("status").asInt()).isEqualTo(418);
            assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
        }
    }

    private static final class Failing implements HttpHandler {

        private final String path;
        private final boolean blocking;

        Failing(String path, boolean blocking) {
            this.path = path;
            this.blocking = blocking;
        }

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals(path);
        }

        @Override
        public HttpResponse handle(HttpRequest request) {
            throw new IllegalStateException("secret detail of a failure");
        }

        @Override
        public boolean isBlocking() {
            return blocking;
        }
    }

    private static final class Teapot implements HttpHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/teapot");
        }

        @Override
        public HttpResponse handle(HttpRequest request) {
            throw new HttpException(418, "I brew tea, not coffee.");
        }
    }

    private static final class ReturnsNull implements HttpHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/null");
        }

        @Override
        public HttpResponse handle(HttpRequest request) {
            return null;
        }

        @Override
        public boolean isBlocking() {
            return false;
        }
    }
}
