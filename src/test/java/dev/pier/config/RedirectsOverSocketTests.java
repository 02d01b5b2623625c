package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import dev.pier.test.H2Peer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code pier.redirects} through the real auto-configuration, over a socket: each status, the
 * query kept or not, host rules, the www-to-apex and {@code /old/<x>} examples, the
 * open-redirect and injection attempts, {@code ..}, HEAD and HTTP/2; and each mistake that stops
 * startup with its one sentence.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class RedirectsOverSocketTests {

    @TempDir
    Path site;

    private ApplicationContextRunner runner() throws IOException {
        Files.writeString(site.resolve("index.html"), "home");
        Files.createDirectories(site.resolve("new"));
        Files.writeString(site.resolve("new/page.html"), "new page");
        return PierContextRunner.over(site, 1)
                .withPropertyValues(
                        "pier.redirects[0].host=www.example.test", "pier.redirects[0].from=/{*rest}", "pier.redirects[0].to=http://example.test/{rest}",
                        "pier.redirects[1].from=/old/{*rest}", "pier.redirects[1].to=/new/{rest}", "pier.redirects[1].status=308",
                        "pier.redirects[2].from=/found/{x}", "pier.redirects[2].to=/new/{x}", "pier.redirects[2].status=302",
                        "pier.redirects[3].from=/temporary", "pier.redirects[3].to=/new/page.html?from=temporary", "pier.redirects[3].status=307",
                        "pier.redirects[4].from=/no-query", "pier.redirects[4].to=/new/page.html", "pier.redirects[4].keep-query=false",
                        "pier.redirects[5].from=/flat/{*rest}", "pier.redirects[5].to=/{rest}",
                        "pier.redirects[6].host=example.test", "pier.redirects[6].from=/apex-only", "pier.redirects[6].to=/new/page.html");
    }

    private static RawResponse exchange(AssertableApplicationContext context, String method, String host, String target) throws IOException {
        try (RawClient client = RawClient.connect(port(context))) {
            client.send(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            return method.equals("HEAD") ? client.readHead() : client.read();
        }
    }

    private static RawResponse get(AssertableApplicationContext context, String host, String target) throws IOException {
        return exchange(context, "GET", host, target);
    }

    private static int port(AssertableApplicationContext context) {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            www.example.test      | /                   | 301 | http://example.test/
            www.example.test:8080 | /a/b?x=1            | 301 | http://example.test/a/b?x=1
            WWW.EXAMPLE.TEST      | /old/x              | 301 | http://example.test/old/x
            example.test          | /old/x              | 308 | /new/x
            example.test          | /old/a/b?x=1&y=2    | 308 | /new/a/b?x=1&y=2
            localhost             | /found/x?q          | 302 | /new/x?q
            localhost             | /temporary?x=1      | 307 | /new/page.html?from=temporary&x=1
            localhost             | /no-query?x=1       | 301 | /new/page.html
            example.test          | /apex-only          | 301 | /new/page.html
            """)
    void whenARuleMatchesThenItsStatusAndLocationComeBackWithASmallPage(String host, String target, int status, String location) throws IOException {
        runner().run(context -> {
            RawResponse response = get(context, host, target);
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.header("Location")).isEqualTo(location);
            assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(response.body().length));
            assertThat(response.header("Content-Type")).startsWith("text/html");
            assertThat(response.bodyText()).contains(status + " ").contains("This page has moved to " + location.replace("&", "&amp;"));
            assertThat(response.header("Cache-Control")).isNull();
        });
    }

    @Test
    void whenNoRuleMatchesThenTheHandlerAnswers() throws IOException {
        runner().run(context -> {
            assertThat(get(context, "localhost", "/apex-only").status()).isEqualTo(404);
            assertThat(get(context, "example.test", "/").bodyText()).isEqualTo("home");
            assertThat(get(context, "example.test", "/new/page.html").bodyText()).isEqualTo("new page");
        });
    }

    @Test
    void whenAHeadRequestIsRedirectedThenTheHeadSaysTheLengthAndNoBodyFollows() throws IOException {
        runner().run(context -> {
            try (RawClient client = RawClient.connect(port(context))) {
                client.send("HEAD /old/x HTTP/1.1\r\nHost: localhost\r\n\r\n" + RawClient.get("/new/page.html"));
                RawResponse head = client.readHead();
                assertThat(head.status()).isEqualTo(308);
                assertThat(head.header("Location")).isEqualTo("/new/x");
                assertThat(Integer.parseInt(head.header("Content-Length"))).isPositive();
                // The next response on the connection starts right after the head: no body was sent.
                assertThat(client.read().bodyText()).isEqualTo("new page");
            }
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /flat//evil.example           | /evil.example
            /flat///evil.example/x        | /evil.example/x
            /flat/%2F%2Fevil.example      | /%2F%2Fevil.example
            /flat/%2f/evil.example        | /%2F/evil.example
            /flat/%5Cevil.example         | /%5Cevil.example
            /old/x%0d%0aSet-Cookie:%20a=1 | /new/x%0D%0ASet-Cookie:%20a=1
            /old/a/%2e%2e/b               | /new/b
            /old/..%2Fadmin               | /new/..%2Fadmin
            """)
    void whenACaptureTriesToLeaveTheOriginOrInjectAFieldThenTheLocationStaysAPathOnThisSite(String target, String location) throws IOException {
        runner().run(context -> {
            RawResponse response = get(context, "localhost", target);
            assertThat(response.status()).isIn(301, 308);
            assertThat(response.header("Location")).isEqualTo(location).startsWith("/").doesNotStartWith("//");
            assertThat(response.header("Set-Cookie")).isNull();
        });
    }

    @Test
    void whenDotSegmentsLeaveTheRulesPrefixThenNoRuleMatchesAndABackslashNeverGetsIn() throws IOException {
        runner().run(context -> {
            // /old/../new/page.html is /new/page.html: the rule for /old/ does not see it.
            assertThat(get(context, "localhost", "/old/../new/page.html").bodyText()).isEqualTo("new page");
            assertThat(get(context, "localhost", "/old/%2e%2e/new/page.html").bodyText()).isEqualTo("new page");
            // Above the root: no redirect, the static handler refuses it.
            assertThat(get(context, "localhost", "/old/../../etc/passwd").status()).isIn(400, 404);
            // A raw backslash is no request-target character: the parser answers 400 before any rule.
            assertThat(get(context, "localhost", "/flat/\\evil.example").status()).isEqualTo(400);
        });
    }

    @Test
    void whenARuleMatchesOverHttp2ThenTheSameRedirectComesBack() throws IOException {
        runner().run(context -> {
            try (H2Peer peer = H2Peer.connect(port(context))) {
                H2Peer.Response response = peer.get(1, "/a?x=1", "www.example.test").response(1, Duration.ofSeconds(10));
                assertThat(response.status()).isEqualTo(301);
                assertThat(response.header("location")).isEqualTo("http://example.test/a?x=1");
                assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("301 Moved Permanently");
            }
        });
    }

    @Test
    void whenNoRuleIsConfiguredThenNoFilterRuns() {
        PierContextRunner.over(site, 1)
                .run(context -> assertThat(PierContextRunner.servesStaticFilesBare(context)).isTrue());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            pier.redirects[0].status=303          | pier.redirects[0].status | Redirect 0's status must be 301, 302, 307 or 308.
            pier.redirects[0].to=/a/{x}           | pier.redirects[0].to     | Redirect 0 sends /a/x to /a/x, which it matches again: clients would loop.
            pier.redirects[0].to=/b/{y}           | pier.redirects[0].to     | Redirect 0's to uses {y}, which from does not capture (it captures {x}).
            pier.redirects[0].to=https:///b/{x}   | pier.redirects[0].to     | Redirect 0's to has no host after https://: write the host out, as in https://example.test/.
            pier.redirects[0].host=www.example.test:80 | pier.redirects[0].host | Redirect 0's host must be a host name without scheme, port or path, such as www.example.test.
            """)
    void whenARuleCannotWorkThenStartupFailsWithOneSentenceNamingTheKey(String setting, String key, String sentence) {
        PierContextRunner.over(site, 1)
                .withPropertyValues("pier.redirects[0].from=/a/{x}", "pier.redirects[0].to=/b/{x}", setting).run(context -> {
                    String value = setting.substring(setting.indexOf('=') + 1);
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                            .hasMessage("Property " + key + " with value '" + value + "' is invalid: " + sentence);
                });
    }
}
