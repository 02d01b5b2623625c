package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The site's own error pages and the single-page-app fallback over a real socket. */
@Timeout(20)
class ErrorPagesAndFallbackOverSocketTest {

    private static final String INDEX = "<!doctype html><div id=app></div>";
    private static final String NOT_FOUND = "<!doctype html><h1>Lost? Our own 404.</h1>";

    @TempDir
    Path root;

    private FileServer server;

    @BeforeEach
    void startServer() throws IOException {
        Files.writeString(root.resolve("index.html"), INDEX);
        Files.writeString(root.resolve("404.html"), NOT_FOUND);
        Files.writeString(root.resolve("405.txt"), "Read-only site.");
        Files.writeString(root.resolve("app.js"), "start()");
        server = FileServer.start(root, StaticFileSettings.DEFAULTS
                .withErrorPages(Map.of(404, "/404.html", 405, "/405.txt", 403, "/missing-page.html"))
                .withFallback("/index.html"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void whenNotFoundThenTheSitesPageWithStatus404() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(RawClient.get("/missing.js")).read();
            RawResponse next = client.send(RawClient.get("/app.js")).read();

            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
            assertThat(response.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
            assertThat(response.header("Cache-Control")).isEqualTo("no-store");
            assertThat(response.header("ETag")).isNull();
            assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.bodyText()).isEqualTo(NOT_FOUND);
            assertThat(next.bodyText()).isEqualTo("start()");
        }
    }

    @Test
    void whenHeadIsNotFoundThenThePagesLength() throws IOException {
        RawResponse response = server.exchange("HEAD", "/missing.js");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(NOT_FOUND.length()));
    }

    @Test
    void whenMethodIsNotAllowedThenItsPageKeepsTheAllowField() throws IOException {
        RawResponse response = server.exchange("POST", "/app.js", "Content-Length: 0");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        assertThat(response.header("Content-Type")).isEqualTo("text/plain;charset=utf-8");
        assertThat(response.bodyText()).isEqualTo("Read-only site.");
    }

    @Test
    void whenClientWantsJsonThenTheBuiltInJsonError() throws IOException {
        RawResponse response = server.get("/missing.js", "Accept: application/json");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void whenConfiguredPageIsMissingThenTheBuiltInPage() throws IOException {
        Files.delete(root.resolve("404.html"));

        RawResponse response = server.get("/missing.js");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.bodyText()).contains("404 Not Found").contains("Pier");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/users/42", "/users/42/", "/deep/route/without/extension", "/v1.2/settings"})
    void whenMissingPathLooksLikeARouteThenTheFallbackWith200(String path) throws IOException {
        RawResponse response = server.get(path);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
        assertThat(response.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(response.bodyText()).isEqualTo(INDEX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/missing.js", "/favicon.ico", "/.env", "/users/42.json"})
    void whenMissingPathLooksLikeAFileThen404NotTheApp(String path) throws IOException {
        assertThat(server.get(path).status()).isEqualTo(404);
    }

    @Test
    void whenFallbackIsConditionalOrHeadThenLikeTheFileItself() throws IOException {
        String etag = server.get("/index.html").header("ETag");

        assertThat(server.get("/users/42", "If-None-Match: " + etag).status()).isEqualTo(304);
        RawResponse head = server.exchange("HEAD", "/users/42");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(INDEX.length()));
    }

    @Test
    void whenPathClimbsOutOfTheRootThenStill400() throws IOException {
        assertThat(server.get("/../etc/passwd").status()).isEqualTo(400);
    }

    @Test
    void whenFallbackIsOffThenRoutesAre404() throws IOException {
        try (FileServer plain = FileServer.start(root, StaticFileSettings.DEFAULTS)) {
            RawResponse response = plain.get("/users/42");

            assertThat(response.status()).isEqualTo(404);
            assertThat(response.bodyText()).contains("404 Not Found");
        }
    }
}
