package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.server.RawResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cache-Control by path pattern and the security headers, over a real socket. */
@Timeout(20)
class ResponseHeadersOverSocketTest {

    @TempDir
    Path root;

    private FileServer defaults;

    @BeforeEach
    void startServer() throws IOException {
        write("index.html", "<h1>home</h1>");
        write("docs/index.html", "<h1>docs</h1>");
        write("docs/guide.html", "<h1>guide</h1>");
        write("assets/app.3f9a.js", "console.log(1);");
        write("assets/page.html", "<h1>asset page</h1>");
        write("style.css", "a{}");
        write("robots.txt", "User-agent: *");
        defaults = FileServer.start(root, StaticFileSettings.DEFAULTS);
    }

    @AfterEach
    void stopServer() {
        defaults.close();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(nullValues = "NONE", textBlock = """
            /, no-cache
            /index.html, no-cache
            /docs/, no-cache
            /assets/app.3f9a.js, NONE
            /style.css, NONE
            """)
    void whenNoRulesThenHtmlIsNoCacheAndOtherFilesGetNothing(String path, String cacheControl) throws IOException {
        assertThat(defaults.get(path).header("Cache-Control")).isEqualTo(cacheControl);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(nullValues = "NONE", textBlock = """
            /, no-cache
            /docs/, 'no-cache, must-revalidate'
            /docs/guide.html, 'no-cache, must-revalidate'
            /docs/../docs/guide.html, 'no-cache, must-revalidate'
            /assets/app.3f9a.js, 'public, max-age=31536000, immutable'
            /assets/page.html, 'public, max-age=31536000, immutable'
            /style.css, max-age=300
            /robots.txt, NONE
            """)
    void whenRulesAreConfiguredThenTheMostSpecificPatternForTheServedFileWins(String path, String cacheControl) throws IOException {
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("/**", "max-age=300");
        rules.put("/docs/**/*.html", "no-cache, must-revalidate");
        rules.put("/assets/**", "public, max-age=31536000, immutable");
        rules.put("/index.html", "no-cache");
        rules.put("/robots.txt", "");
        try (FileServer server = FileServer.start(root, StaticFileSettings.DEFAULTS.withCacheControl(new CacheControlRules(rules)))) {
            RawResponse response = server.get(path);
            String etag = response.header("ETag");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Cache-Control")).isEqualTo(cacheControl);
            assertThat(server.get(path, "If-None-Match: " + etag).header("Cache-Control")).as("304 too").isEqualTo(cacheControl);
        }
    }

    @Test
    void whenDefaultsThenNosniffOnEveryResponse() throws IOException {
        assertThat(defaults.get("/style.css").header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(defaults.get("/missing").header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(defaults.get("/docs").header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(defaults.exchange("DELETE", "/style.css").header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(defaults.get("/style.css", "Range: bytes=0-0").header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void whenSecurityHeadersAreConfiguredThenAddedAndAnEmptyValueRemovesOne() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Content-Type-Options", "");
        headers.put("content-security-policy", "default-src 'self'");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "strict-origin-when-cross-origin");
        headers.put("Permissions-Policy", "camera=()");
        try (FileServer server = FileServer.start(root, StaticFileSettings.DEFAULTS.withSecurityHeaders(headers))) {
            RawResponse response = server.get("/index.html");

            assertThat(response.header("X-Content-Type-Options")).isNull();
            assertThat(response.header("Content-Security-Policy")).isEqualTo("default-src 'self'");
            assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(response.header("Referrer-Policy")).isEqualTo("strict-origin-when-cross-origin");
            assertThat(response.header("Permissions-Policy")).isEqualTo("camera=()");
            assertThat(server.get("/missing").header("X-Frame-Options")).isEqualTo("DENY");
        }
    }

    private void write(String name, String text) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
