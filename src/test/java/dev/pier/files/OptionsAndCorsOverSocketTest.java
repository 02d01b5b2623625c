package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OPTIONS, 405's Allow and CORS (Fetch) over a real socket. */
@Timeout(20)
class OptionsAndCorsOverSocketTest {

    private static final String APP = "https://app.example.com";

    @TempDir
    Path root;

    private FileServer server;

    @BeforeEach
    void startServer() throws IOException {
        Files.writeString(root.resolve("data.json"), "{\"pier\":true}");
        Files.writeString(root.resolve("logo.png"), "png");
        server = FileServer.start(root, StaticFileSettings.DEFAULTS);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/data.json", "/missing", "/"})
    void whenOptionsOnAPathThen204WithAllowAndTheConnectionStaysFramed(String path) throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse options = client.send(FileServer.request("OPTIONS", path)).read();
            RawResponse next = client.send(RawClient.get("/data.json")).read();

            assertThat(options.statusLine()).isEqualTo("HTTP/1.1 204 No Content");
            assertThat(options.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
            assertThat(options.header("Content-Length")).isNull();
            assertThat(options.body()).isEmpty();
            assertThat(next.bodyText()).isEqualTo("{\"pier\":true}");
        }
    }

    @Test
    void whenOptionsAsteriskThenTheServersMethods() throws IOException {
        RawResponse response = server.exchange("OPTIONS", "*");

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Allow")).isEqualTo("GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "TRACE"})
    void whenAnotherMethodThen405AllowingOptions(String method) throws IOException {
        RawResponse response = server.exchange(method, "/data.json", "Content-Length: 0");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
    }

    @Test
    void whenCorsIsOffThenAPreflightIsPlainOptionsWithoutCorsFields() throws IOException {
        RawResponse preflight = server.exchange("OPTIONS", "/data.json", "Origin: " + APP, "Access-Control-Request-Method: GET");
        RawResponse get = server.get("/data.json", "Origin: " + APP);

        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        assertThat(get.header("Access-Control-Allow-Origin")).isNull();
        assertThat(get.header("Vary")).isEqualTo("Accept-Encoding");
    }

    @Test
    void whenPreflightIsAllowedThen204WithWhatItMayDo() throws IOException {
        try (FileServer cors = FileServer.start(root, withCors(List.of(APP), false))) {
            RawResponse response = cors.exchange("OPTIONS", "/data.json", "Origin: " + APP, "Access-Control-Request-Method: GET",
                    "Access-Control-Request-Headers: x-requested-with");

            assertThat(response.status()).isEqualTo(204);
            assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(APP);
            assertThat(response.header("Access-Control-Allow-Methods")).isEqualTo("GET, HEAD");
            // Any header allowed and no credentials: "*" (with credentials the list is echoed, below).
            assertThat(response.header("Access-Control-Allow-Headers")).isEqualTo("*");
            assertThat(response.header("Access-Control-Max-Age")).isEqualTo("1800");
            assertThat(response.header("Access-Control-Allow-Credentials")).isNull();
            assertThat(response.header("Vary")).isEqualTo("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
            assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.header("Allow")).isNull();
        }
    }

    @Test
    void whenPreflightOriginOrMethodOrHeaderIsNotAllowedThen403() throws IOException {
        StaticFileSettings settings = StaticFileSettings.DEFAULTS.withCors(
                new CorsPolicy(List.of(APP), List.of("GET", "HEAD"), List.of("X-Requested-With"), List.of(), Duration.ofMinutes(30), false));
        try (FileServer cors = FileServer.start(root, settings)) {
            RawResponse origin = cors.exchange("OPTIONS", "/data.json", "Origin: https://evil.example", "Access-Control-Request-Method: GET");
            RawResponse method = cors.exchange("OPTIONS", "/data.json", "Origin: " + APP, "Access-Control-Request-Method: DELETE");
            RawResponse header = cors.exchange("OPTIONS", "/data.json", "Origin: " + APP, "Access-Control-Request-Method: GET",
                    "Access-Control-Request-Headers: authorization");

            for (RawResponse response : List.of(origin, method, header)) {
                assertThat(response.status()).isEqualTo(403);
                assertThat(response.header("Access-Control-Allow-Origin")).isNull();
                assertThat(response.header("Vary")).contains("Origin");
            }
        }
    }

    @Test
    void whenOriginIsAllowedThenEchoedWithVaryOnEveryResponse() throws IOException {
        try (FileServer cors = FileServer.start(root, withCors(List.of(APP), false))) {
            RawResponse allowed = cors.get("/data.json", "Origin: " + APP);
            RawResponse refused = cors.get("/data.json", "Origin: https://evil.example");
            RawResponse sameOrigin = cors.get("/data.json");
            RawResponse image = cors.get("/logo.png", "Origin: " + APP);
            RawResponse missing = cors.get("/missing.json", "Origin: " + APP);
            RawResponse notModified = cors.get("/data.json", "Origin: " + APP, "If-None-Match: " + allowed.header("ETag"));

            assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(APP);
            assertThat(allowed.header("Access-Control-Expose-Headers")).isEqualTo("ETag");
            assertThat(allowed.header("Vary")).isEqualTo("Accept-Encoding, Origin");
            assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
            assertThat(refused.header("Vary")).isEqualTo("Accept-Encoding, Origin");
            assertThat(sameOrigin.header("Access-Control-Allow-Origin")).isNull();
            assertThat(sameOrigin.header("Vary")).isEqualTo("Accept-Encoding, Origin");
            assertThat(image.header("Vary")).isEqualTo("Origin");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.header("Access-Control-Allow-Origin")).isEqualTo(APP);
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.header("Access-Control-Allow-Origin")).isEqualTo(APP);
            assertThat(notModified.header("Vary")).isEqualTo("Accept-Encoding, Origin");
        }
    }

    @Test
    void whenAnyOriginWithoutCredentialsThenStarAndNoVaryOnOrigin() throws IOException {
        try (FileServer cors = FileServer.start(root, withCors(List.of("*"), false))) {
            RawResponse response = cors.get("/data.json", "Origin: " + APP);
            RawResponse without = cors.get("/logo.png");

            assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("*");
            assertThat(response.header("Vary")).isEqualTo("Accept-Encoding");
            assertThat(without.header("Access-Control-Allow-Origin")).isEqualTo("*");
            assertThat(without.header("Vary")).isNull();
        }
    }

    @Test
    void whenCredentialsAreAllowedThenTheExactOriginNeverStar() throws IOException {
        try (FileServer cors = FileServer.start(root, withCors(List.of(APP), true))) {
            RawResponse preflight = cors.exchange("OPTIONS", "/data.json", "Origin: " + APP, "Access-Control-Request-Method: GET",
                    "Access-Control-Request-Headers: authorization");
            RawResponse get = cors.get("/data.json", "Origin: " + APP);

            assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(APP);
            assertThat(preflight.header("Access-Control-Allow-Credentials")).isEqualTo("true");
            assertThat(preflight.header("Access-Control-Allow-Headers")).isEqualTo("authorization");
            assertThat(get.header("Access-Control-Allow-Origin")).isEqualTo(APP);
            assertThat(get.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        }
    }

    private static StaticFileSettings withCors(List<String> origins, boolean credentials) {
        return StaticFileSettings.DEFAULTS.withCors(
                new CorsPolicy(origins, List.of("GET", "HEAD"), List.of("*"), List.of("ETag"), Duration.ofMinutes(30), credentials));
    }
}
