package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.PierApplication;
import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code pier.headers} with the whole application's auto-configuration, over a socket: fields by
 * pattern on static files, errors, 304s and Actuator, the most specific pattern deciding a field,
 * removal with an empty value, {@code pier.cache-control} kept beneath and overridden; no filter
 * when unset; and each mistake that stops startup with its one sentence.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HeadersOverSocketTests {

    @TempDir
    static Path site;

    static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(site.resolve("index.html"), "home");
        Files.createDirectories(site.resolve("assets"));
        Files.writeString(site.resolve("assets/app.js"), "console.log(1)");
        Files.writeString(site.resolve("assets/app.html"), "asset page");
        context = new SpringApplicationBuilder(PierApplication.class).run("--server.port=0", "--pier.document-root=" + site,
                "--pier.event-loops=1", "--pier.worker-threads=2",
                "--pier.cache-control[/**]=max-age=60",
                "--pier.headers[/**].X-Frame-Options=DENY",
                "--pier.headers[/**].Referrer-Policy=no-referrer",
                "--pier.headers[/**].X-Content-Type-Options=",
                "--pier.headers[/assets/**].X-Frame-Options=SAMEORIGIN",
                "--pier.headers[/assets/**].Cache-Control=public, max-age=31536000, immutable",
                "--pier.headers[/actuator/**].Cache-Control=no-store",
                "--pier.headers[/actuator/**].X-Robots-Tag=noindex");
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    private static RawResponse send(String request) throws IOException {
        try (RawClient client = RawClient.connect(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class))) {
            client.send(request);
            return client.read();
        }
    }

    private static RawResponse get(String target) throws IOException {
        return send(RawClient.get(target));
    }

    @Test
    void whenAPatternMatchesAStaticFileThenItsFieldsAreSetAndAnEmptyValueRemovesOne() throws IOException {
        RawResponse home = get("/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(home.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(home.header("X-Content-Type-Options")).as("pier.security-headers' default, removed").isNull();
        assertThat(home.header("Cache-Control")).as("pier.cache-control, untouched where pier.headers says nothing").isEqualTo("max-age=60");
    }

    @Test
    void whenSeveralPatternsMatchThenTheMostSpecificDecidesEachFieldAndTheOthersStillApply() throws IOException {
        RawResponse asset = get("/assets/app.js");
        assertThat(asset.headerValues("X-Frame-Options")).containsExactly("SAMEORIGIN");
        assertThat(asset.headerValues("Cache-Control")).as("over pier.cache-control").containsExactly("public, max-age=31536000, immutable");
        assertThat(asset.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(get("/assets/../index.html").header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(get("/assets/%61pp.html").header("X-Frame-Options")).isEqualTo("SAMEORIGIN");
    }

    @Test
    void whenTheAnswerIsAnErrorOrNotModifiedThenItGetsTheFieldsToo() throws IOException {
        RawResponse missing = get("/missing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("X-Frame-Options")).isEqualTo("DENY");
        String etag = get("/assets/app.js").header("ETag");
        RawResponse notModified = send("GET /assets/app.js HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: " + etag + "\r\n\r\n");
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        assertThat(notModified.header("X-Frame-Options")).isEqualTo("SAMEORIGIN");
    }

    @Test
    void whenActuatorAnswersThenItsPatternApplies() throws IOException {
        RawResponse health = get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.header("Cache-Control")).isEqualTo("no-store");
        assertThat(health.header("X-Robots-Tag")).isEqualTo("noindex");
        assertThat(health.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(get("/livez").header("X-Robots-Tag")).as("/livez is not under /actuator").isNull();
    }

    @Test
    void whenUnsetThenNoFilterRuns() throws IOException {
        assertThat(PierContextRunner.servesStaticFilesBare(context)).isFalse();
        PierContextRunner.over(site, 1)
                .run(unset -> assertThat(PierContextRunner.servesStaticFilesBare(unset)).isTrue());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            pier.headers[/**][X Frame]=DENY        | pier.headers[/**].X Frame          | A header field name must be a token
            pier.headers[/**].Content-Length=5     | pier.headers[/**].Content-Length   | not one the server writes itself
            pier.headers[/**].Transfer-Encoding=   | pier.headers[/**].Transfer-Encoding | not one the server writes itself
            """)
    void whenANameIsInvalidThenStartupFailsWithOneSentence(String setting, String key, String reason) {
        assertFails(setting, key, reason);
    }

    @Test
    void whenAValueHoldsALineBreakOrAControlCharacterThenStartupFailsWithOneSentence() {
        for (String value : new String[] {"a\r\nSet-Cookie: x=1", "a\nb", "a\u0000b", "a\u007fb"}) {
            assertFails("pier.headers[/**].X-Test=" + value, "pier.headers[/**].X-Test", "must not hold CR, LF or other control characters");
        }
    }

    @Test
    void whenAPatternIsInvalidThenStartupFailsNamingIt() {
        PierContextRunner.over(site, 1)
                .withPropertyValues("pier.headers[assets/**].X-Test=1")
                .run(failed -> assertThat(failed).hasFailed());
    }

    private static void assertFails(String setting, String key, String reason) {
        int equals = setting.indexOf('=');
        PierContextRunner.over(site, 1)
                .withPropertyValues(setting.substring(0, equals) + "=" + setting.substring(equals + 1))
                .run(failed -> {
                    assertThat(failed).hasFailed();
                    assertThat(failed.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                            .hasMessageContaining(key).hasMessageContaining(reason);
                });
    }
}
