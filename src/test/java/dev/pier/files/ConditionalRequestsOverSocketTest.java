package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Validators and conditional requests over a real socket (RFC 9110 §8.8, §13). */
@Timeout(20)
class ConditionalRequestsOverSocketTest {

    private static final Instant MODIFIED = Instant.parse("2024-05-06T07:08:09.750Z");
    private static final String LAST_MODIFIED = "Mon, 06 May 2024 07:08:09 GMT";
    private static final String CSS = "body { color: #123; }\n";

    @TempDir
    Path root;

    private FileServer server;
    private String etag;

    @BeforeEach
    void startServer() throws IOException {
        write("style.css", CSS);
        write("index.html", "<h1>home</h1>\n");
        // Files change under these tests and must be seen at the next request.
        server = FileServer.start(root, StaticFileSettings.DEFAULTS.withFileCache(StaticFileSettings.FileCache.DEFAULTS.withRevalidateAfter(Duration.ZERO)));
        etag = server.get("/style.css").header("ETag");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void whenFileIsServedThenStrongEtagAndLastModified() throws IOException {
        RawResponse response = server.get("/style.css");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("ETag")).matches("\"[0-9a-f]+-[0-9a-f]+\"").doesNotStartWith("W/");
        assertThat(response.header("Last-Modified")).isEqualTo(LAST_MODIFIED);
        assertThat(server.get("/index.html").header("ETag")).isNotEqualTo(etag);
    }

    @ParameterizedTest(name = "[{index}] If-None-Match: {0}")
    @ValueSource(strings = {"ETAG", "W/ETAG", "*", "\"other\", ETAG", "W/\"x\", ETAG"})
    void whenIfNoneMatchMatchesThen304WithValidatorsAndNoBody(String field) throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(FileServer.request("GET", "/style.css", "If-None-Match: " + field.replace("ETAG", etag))).read();
            // The connection stays framed: a 304 has no body whatever it would have had.
            RawResponse next = client.send(RawClient.get("/style.css")).read();

            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 304 Not Modified");
            assertThat(response.header("ETag")).isEqualTo(etag);
            assertThat(response.header("Last-Modified")).isEqualTo(LAST_MODIFIED);
            assertThat(response.header("Vary")).isEqualTo("Accept-Encoding");
            assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.header("Content-Length")).isNull();
            assertThat(response.header("Content-Type")).isNull();
            assertThat(response.body()).isEmpty();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo(CSS);
        }
    }

    @ParameterizedTest(name = "[{index}] If-None-Match: {0}")
    @ValueSource(strings = {"W/\"x\", \"y\"", "\"other\"", "garbage", "\"\""})
    void whenIfNoneMatchMatchesNothingThenWholeFile(String field) throws IOException {
        RawResponse response = server.get("/style.css", "If-None-Match: " + field);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo(CSS);
    }

    @Test
    void whenHeadIsConditionalThen304Too() throws IOException {
        RawResponse response = server.exchange("HEAD", "/style.css", "If-None-Match: " + etag);

        assertThat(response.status()).isEqualTo(304);
        assertThat(response.header("ETag")).isEqualTo(etag);
    }

    @ParameterizedTest(name = "[{index}] If-Modified-Since: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            Mon, 06 May 2024 07:08:09 GMT    | 304
            Tue, 07 May 2024 00:00:00 GMT    | 304
            Mon, 06 May 2024 07:08:08 GMT    | 200
            Monday, 06-May-24 07:08:09 GMT   | 304
            Mon May  6 07:08:09 2024         | 304
            Mon May  6 07:08:08 2024         | 200
            not a date                       | 200
            Mon, 06 May 2024 07:08:09 UTC    | 200
            """)
    void whenIfModifiedSinceThen304UnlessModifiedAfterItAndInvalidDatesIgnored(String date, int status) throws IOException {
        RawResponse response = server.get("/style.css", "If-Modified-Since: " + date);

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.body()).hasSize(status == 200 ? CSS.length() : 0);
    }

    @Test
    void whenIfNoneMatchAndIfModifiedSinceDisagreeThenIfNoneMatchWins() throws IOException {
        assertThat(server.get("/style.css", "If-None-Match: \"other\"", "If-Modified-Since: " + LAST_MODIFIED).status()).isEqualTo(200);
        assertThat(server.get("/style.css", "If-None-Match: " + etag, "If-Modified-Since: Mon, 01 Jan 2024 00:00:00 GMT").status()).isEqualTo(304);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            If-Match: ETAG                                          | 200
            If-Match: *                                             | 200
            If-Match: "other", ETAG                                 | 200
            If-Match: W/ETAG                                        | 412
            If-Match: "other"                                       | 412
            If-Unmodified-Since: Mon, 06 May 2024 07:08:09 GMT      | 200
            If-Unmodified-Since: Mon, 06 May 2024 07:08:08 GMT      | 412
            If-Unmodified-Since: whenever                           | 200
            """)
    void whenIfMatchOrIfUnmodifiedSinceFailsThen412(String field, int status) throws IOException {
        RawResponse response = server.get("/style.css", field.replace("ETAG", etag));

        assertThat(response.status()).isEqualTo(status);
        if (status == 412) {
            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 412 Precondition Failed");
            assertThat(response.bodyText()).contains("412").doesNotContain("#123");
        }
    }

    @Test
    void whenIfMatchPassesThenIfUnmodifiedSinceIsIgnored() throws IOException {
        assertThat(server.get("/style.css", "If-Match: " + etag, "If-Unmodified-Since: Mon, 01 Jan 2024 00:00:00 GMT").status()).isEqualTo(200);
    }

    @Test
    void whenPreconditionFailsAndIfNoneMatchWouldMatchThen412First() throws IOException {
        assertThat(server.get("/style.css", "If-Match: \"other\"", "If-None-Match: " + etag).status()).isEqualTo(412);
    }

    @Test
    void whenFileIsReplacedThenNewEtagAndTheOldOneNoLongerValidates() throws IOException {
        Files.writeString(root.resolve("style.css"), "body { color: #456; }\n");
        Files.setLastModifiedTime(root.resolve("style.css"), FileTime.from(MODIFIED.plusSeconds(60)));

        RawResponse response = server.get("/style.css", "If-None-Match: " + etag);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("ETag")).isNotEqualTo(etag);
        assertThat(response.bodyText()).contains("#456");
    }

    @Test
    void whenFileIsReplacedUnderTheDefaultWindowThenTheChangeIsServedOnceItHasPassed() throws IOException {
        try (FileServer trusting = FileServer.start(root, StaticFileSettings.DEFAULTS)) {
            String before = trusting.get("/style.css").header("ETag");
            Files.writeString(root.resolve("style.css"), "body { color: #789; }\n");
            Files.setLastModifiedTime(root.resolve("style.css"), FileTime.from(MODIFIED.plusSeconds(90)));

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                RawResponse response = trusting.get("/style.css");
                assertThat(response.header("ETag")).isNotEqualTo(before);
                assertThat(response.bodyText()).contains("#789");
            });
        }
    }

    @Test
    void whenMissingFileIsConditionalThenStill404() throws IOException {
        assertThat(server.get("/missing.css", "If-None-Match: *").status()).isEqualTo(404);
    }

    private void write(String name, String text) throws IOException {
        Path file = Files.writeString(root.resolve(name), text);
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
    }
}
