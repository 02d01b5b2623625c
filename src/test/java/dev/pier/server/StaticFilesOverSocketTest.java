package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Static files over a real socket: types, lengths, dates, HEAD, redirects and refusals. */
@Timeout(20)
class StaticFilesOverSocketTest {

    private static final Instant MODIFIED = Instant.parse("2024-05-06T07:08:09.750Z");

    @TempDir
    Path root;

    private RunningServer server;

    @BeforeEach
    void startServer() throws IOException {
        write("index.html", "<!doctype html><h1>home</h1>\n");
        write("style.css", "body { color: #123; }\n");
        write("app.js", "console.log('pier');\n");
        write("data.json", "{\"pier\":true}\n");
        write("logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
        write("notes.txt", "plain text, and some UTF-8: \u00e9\u00e8\u2713\n");
        write("logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        write("font.woff2", new byte[] {'w', 'O', 'F', '2', 0, 1, 0, 0, (byte) 0xff, (byte) 0xfe});
        write("module.wasm", new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        write("archive.xyz", new byte[] {1, 2, 3, 4, 5, (byte) 0x80, 0, '\r', '\n'});
        write("docs/index.html", "<h1>docs</h1>\n");
        write("empty.txt", "");
        write("hello world.txt", "spaced\n");
        write("caf\u00e9.txt", "accented\n");
        Files.createDirectories(root.resolve("no-index"));
        write(".env", "PASSWORD=hunter2\n");
        write(".git/config", "[core]\n\tbare = false\n");
        server = RunningServer.start(root);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            index.html  | text/html;charset=utf-8
            style.css   | text/css;charset=utf-8
            app.js      | text/javascript;charset=utf-8
            data.json   | application/json;charset=utf-8
            logo.svg    | image/svg+xml;charset=utf-8
            notes.txt   | text/plain;charset=utf-8
            logo.png    | image/png
            font.woff2  | font/woff2
            module.wasm | application/wasm
            archive.xyz | application/octet-stream
            """)
    void whenGetFileThenWholeFileWithTypeLengthAndDates(String name, String contentType) throws IOException {
        byte[] content = Files.readAllBytes(root.resolve(name));
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(RawClient.get("/" + name)).read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(response.header("Content-Type")).isEqualTo(contentType);
            assertThat(response.header("Content-Length")).isEqualTo(Long.toString(content.length));
            assertThat(response.header("Last-Modified")).isEqualTo("Mon, 06 May 2024 07:08:09 GMT");
            assertThat(response.header("Server")).isEqualTo("Pier");
            assertThat(parseDate(response.header("Date"))).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
            assertThat(response.header("Connection")).isNull();
            assertThat(response.body()).isEqualTo(content);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"index.html", "style.css", "app.js", "data.json", "logo.svg", "notes.txt", "logo.png", "font.woff2", "module.wasm", "archive.xyz"})
    void whenHeadFileThenHeadersOfGetAndNoBody(String name) throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse get = client.send(RawClient.get("/" + name)).read();
            RawResponse head = client.send("HEAD /" + name + " HTTP/1.1\r\nHost: localhost\r\n\r\n").readHead();
            // Had HEAD sent a body, its bytes would now be read in place of this status line.
            RawResponse after = client.send(RawClient.get("/notes.txt")).read();

            assertThat(head.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(withoutDate(head.headers())).isEqualTo(withoutDate(get.headers()));
            assertThat(head.header("Date")).isNotNull();
            assertThat(head.header("Content-Length")).isEqualTo(Long.toString(Files.size(root.resolve(name))));
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.body()).isEqualTo(Files.readAllBytes(root.resolve("notes.txt")));
        }
    }

    @Test
    void whenHeadOfRedirectOrErrorThenNoBodyAndNextResponseFramedCorrectly() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse redirect = client.send("HEAD /docs HTTP/1.1\r\nHost: localhost\r\n\r\n").readHead();
            RawResponse missing = client.send("HEAD /missing HTTP/1.1\r\nHost: localhost\r\n\r\n").readHead();
            RawResponse after = client.send(RawClient.get("/notes.txt")).read();

            assertThat(redirect.status()).isEqualTo(301);
            assertThat(redirect.header("Location")).isEqualTo("/docs/");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(Integer.parseInt(missing.header("Content-Length"))).isPositive();
            assertThat(after.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(after.body()).isEqualTo(Files.readAllBytes(root.resolve("notes.txt")));
        }
    }

    @Test
    void whenAbsoluteFormTargetThenItsPathServed() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse file = client.send("GET http://localhost:8080/style.css?v=1 HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
            RawResponse home = client.send("GET http://localhost HTTP/1.1\r\nHost: localhost\r\n\r\n").read();

            assertThat(file.bodyText()).isEqualTo("body { color: #123; }\n");
            assertThat(home.bodyText()).isEqualTo("<!doctype html><h1>home</h1>\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/missing.html", "/docs/missing", "/.env", "/.git/config", "/.git/", "/docs/../.env"})
    void whenMissingOrHiddenThenNotFound(String target) throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(RawClient.get(target)).read();

            assertThat(response.status()).isEqualTo(404);
            assertThat(response.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
            assertThat(response.bodyText()).contains("404").doesNotContain("hunter2", "bare");
            // A 404 is an answer like any other: the connection stays usable.
            assertThat(client.send(RawClient.get("/notes.txt")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void whenFolderWithoutSlashThenRedirectKeepingQuery() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(RawClient.get("/docs?x=1")).read();

            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 301 Moved Permanently");
            assertThat(response.header("Location")).isEqualTo("/docs/?x=1");
            assertThat(client.send(RawClient.get("/docs")).read().header("Location")).isEqualTo("/docs/");
        }
    }

    @Test
    void whenFolderWithLeadingSlashesThenRedirectStaysOnThisSite() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(RawClient.get("//docs?x=1")).read();

            assertThat(response.status()).isEqualTo(301);
            // "//docs/" would be a scheme-relative URL naming the host "docs".
            assertThat(response.header("Location")).isEqualTo("/docs/?x=1");
        }
    }

    @Test
    void whenFolderWithoutIndexThenNotFound() throws IOException {
        try (RawClient client = server.connect()) {
            assertThat(client.send(RawClient.get("/no-index/")).read().status()).isEqualTo(404);
        }
    }

    @Test
    void whenEmptyFileThenZeroLengthAndConnectionKept() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse empty = client.send(RawClient.get("/empty.txt")).read();
            RawResponse next = client.send(RawClient.get("/notes.txt")).read();

            assertThat(empty.status()).isEqualTo(200);
            assertThat(empty.header("Content-Length")).isEqualTo("0");
            assertThat(empty.body()).isEmpty();
            assertThat(next.status()).isEqualTo(200);
        }
    }

    @Test
    void whenQueryOnFileThenFileServed() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(RawClient.get("/style.css?v=3&x=%2F")).read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("body { color: #123; }\n");
        }
    }

    @Test
    void whenNameIsPercentEncodedThenDecodedOnce() throws IOException {
        assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")), "file names in UTF-8");
        try (RawClient client = server.connect()) {
            assertThat(client.send(RawClient.get("/hello%20world.txt")).read().bodyText()).isEqualTo("spaced\n");
            assertThat(client.send(RawClient.get("/caf%C3%A9.txt")).read().bodyText()).isEqualTo("accented\n");
            assertThat(client.send(RawClient.get("/hello%2520world.txt")).read().status()).isEqualTo(404);
        }
    }

    @Test
    void whenFolderWithSlashThenItsIndex() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse docs = client.send(RawClient.get("/docs/")).read();
            RawResponse home = client.send(RawClient.get("/")).read();

            assertThat(docs.status()).isEqualTo(200);
            assertThat(docs.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
            assertThat(docs.bodyText()).isEqualTo("<h1>docs</h1>\n");
            assertThat(home.bodyText()).isEqualTo("<!doctype html><h1>home</h1>\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "DELETE", "PUT"})
    void whenWritingMethodOnFileThenMethodNotAllowedWithAllow(String method) throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(method + " /index.html HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
            assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
        }
    }

    private static Instant parseDate(String value) {
        assertThat(value).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }

    private static Map<String, List<String>> withoutDate(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new TreeMap<>(headers);
        copy.remove("date");
        return copy;
    }

    private void write(String name, String text) throws IOException {
        write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private void write(String name, byte[] content) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
    }
}
