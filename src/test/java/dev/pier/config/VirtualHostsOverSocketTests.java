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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code pier.hosts} through the real auto-configuration, over a socket: two sites with their own
 * roots, wildcards, exact names over wildcards, ports, case and trailing dots, each
 * {@code pier.unknown-host}, HTTP/2's {@code :authority}, per-host settings, dot segments that
 * never leave a host's root; and each mistake that stops startup with its one sentence.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class VirtualHostsOverSocketTests {

    @TempDir
    Path base;

    private Path site;
    private Path example;
    private Path docs;
    private Path wild;

    @BeforeEach
    void sites() throws IOException {
        site = site("default", "default home");
        example = site("example", "example home");
        docs = site("docs", "docs home");
        wild = site("wild", "wild home");
        Files.writeString(example.resolve("secret.txt"), "example only");
        Files.writeString(docs.resolve("guide.html"), "the guide");
        Files.writeString(docs.resolve("404.html"), "docs missing page");
        Files.writeString(example.resolve("404.html"), "example missing page");
    }

    private Path site(String name, String home) throws IOException {
        Path root = Files.createDirectories(base.resolve(name));
        Files.writeString(root.resolve("index.html"), home);
        return root;
    }

    private ApplicationContextRunner runner(String... more) {
        return PierContextRunner.over(site, 1)
                .withPropertyValues(
                        "pier.hosts[0].names=example.test,www.example.test", "pier.hosts[0].document-root=" + example,
                        "pier.hosts[1].names=docs.example.test", "pier.hosts[1].document-root=" + docs,
                        "pier.hosts[1].try-files=$uri,$uri.html,=404", "pier.hosts[1].error-pages.404=/404.html",
                        "pier.hosts[1].cache-control.[/**]=public, max-age=60",
                        "pier.hosts[2].names=*.example.test", "pier.hosts[2].document-root=" + wild)
                .withPropertyValues(more);
    }

    private static RawResponse get(AssertableApplicationContext context, String host, String target) throws IOException {
        try (RawClient client = RawClient.connect(port(context))) {
            client.send("GET " + target + " HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n") + "\r\n");
            return client.read();
        }
    }

    private static int port(AssertableApplicationContext context) {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            example.test             | example home
            www.example.test         | example home
            EXAMPLE.TEST             | example home
            example.test:8080        | example home
            Example.Test.:8443       | example home
            docs.example.test        | docs home
            Docs.Example.Test:80     | docs home
            a.example.test           | wild home
            a.b.example.test:8080    | wild home
            localhost                | default home
            example.org              | default home
            127.0.0.1                | default home
            """)
    void whenAHostIsNamedThenItsOwnRootServesTheRequest(String host, String body) throws IOException {
        runner().run(context -> {
            RawResponse response = get(context, host, "/");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(body);
        });
    }

    @Test
    void whenAHostHasItsOwnSettingsThenTheyApplyThereAndNowhereElse() throws IOException {
        runner().run(context -> {
            // docs has clean URLs, its own 404 page and Cache-Control; example has the top-level settings.
            RawResponse guide = get(context, "docs.example.test", "/guide");
            assertThat(guide.status()).isEqualTo(200);
            assertThat(guide.bodyText()).isEqualTo("the guide");
            assertThat(guide.header("Cache-Control")).isEqualTo("public, max-age=60");
            RawResponse missing = get(context, "docs.example.test", "/nothing");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.bodyText()).isEqualTo("docs missing page");
            RawResponse elsewhere = get(context, "example.test", "/nothing");
            assertThat(elsewhere.status()).isEqualTo(404);
            assertThat(elsewhere.bodyText()).doesNotContain("missing page");
            assertThat(get(context, "example.test", "/index").status()).isEqualTo(404);
            assertThat(get(context, "example.test", "/index.html").header("Cache-Control")).isEqualTo("no-cache");
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /../example/secret.txt
            /%2e%2e/example/secret.txt
            /..%2Fexample%2Fsecret.txt
            /a/../../example/secret.txt
            /%2E%2E%2F..%2Fexample/secret.txt
            """)
    void whenDotSegmentsClimbOutOfAHostsRootThenNoOtherRootIsReached(String target) throws IOException {
        runner().run(context -> {
            for (String host : new String[] {"docs.example.test", "a.example.test", "localhost"}) {
                RawResponse response = get(context, host, target);
                assertThat(response.status()).as(host + target).isIn(400, 404);
                assertThat(response.bodyText()).doesNotContain("example only");
            }
            assertThat(get(context, "example.test", "/secret.txt").bodyText()).isEqualTo("example only");
            assertThat(get(context, "docs.example.test", "/secret.txt").status()).isEqualTo(404);
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            421 | 421 | Misdirected Request
            404 | 404 | Not Found
            """)
    void whenUnknownHostsGetAStatusThenPiersErrorBodyComesBackAndKnownHostsAreServed(String mode, int status, String reason) throws IOException {
        runner("pier.unknown-host=" + mode).run(context -> {
            for (String host : new String[] {"localhost", "example.org", "example.test.org", "127.0.0.1:8080"}) {
                RawResponse response = get(context, host, "/");
                assertThat(response.status()).as(host).isEqualTo(status);
                assertThat(response.bodyText()).contains(status + " " + reason).doesNotContain("default home");
                assertThat(response.header("Content-Type")).startsWith("text/html");
            }
            try (RawClient client = RawClient.connect(port(context))) {
                client.send("GET / HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n");
                RawResponse json = client.read();
                assertThat(json.status()).isEqualTo(status);
                assertThat(json.bodyText()).contains("\"status\":" + status);
            }
            assertThat(get(context, "example.test", "/").bodyText()).isEqualTo("example home");
            assertThat(get(context, "x.example.test", "/").bodyText()).isEqualTo("wild home");
        });
    }

    @Test
    void whenAnHttp10RequestHasNoHostThenItIsAnUnknownHost() throws IOException {
        runner("pier.unknown-host=421").run(context -> {
            try (RawClient client = RawClient.connect(port(context))) {
                client.send("GET / HTTP/1.0\r\n\r\n");
                assertThat(client.read().status()).isEqualTo(421);
            }
        });
        runner().run(context -> {
            try (RawClient client = RawClient.connect(port(context))) {
                client.send("GET / HTTP/1.0\r\n\r\n");
                assertThat(client.read().bodyText()).isEqualTo("default home");
            }
        });
    }

    @Test
    void whenHttp2NamesAHostInItsAuthorityThenThatHostsRootServesIt() throws IOException {
        runner("pier.unknown-host=421").run(context -> {
            try (H2Peer peer = H2Peer.connect(port(context))) {
                peer.get(1, "/", "docs.example.test:8080");
                peer.get(3, "/", "a.b.EXAMPLE.test");
                peer.get(5, "/", "example.test");
                peer.get(7, "/", "unknown.test");
                assertThat(body(peer.response(1, Duration.ofSeconds(10)))).isEqualTo("docs home");
                assertThat(body(peer.response(3, Duration.ofSeconds(10)))).isEqualTo("wild home");
                assertThat(body(peer.response(5, Duration.ofSeconds(10)))).isEqualTo("example home");
                assertThat(peer.response(7, Duration.ofSeconds(10)).status()).isEqualTo(421);
            }
        });
    }

    private static String body(H2Peer.Response response) {
        assertThat(response.status()).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void whenNoHostIsConfiguredThenNoVirtualHostsStandBetween() {
        PierContextRunner.over(site, 1)
                .withPropertyValues("pier.unknown-host=421")
                .run(context -> {
                    assertThat(PierContextRunner.servesStaticFilesBare(context)).isTrue();
                    assertThat(get(context, "anything.test", "/").bodyText()).isEqualTo("default home");
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            pier.hosts[2].names=a.*.b                | pier.hosts[2].names          | Host 2's name a.*.b is not a host name without port, such as example.org, or a wildcard of whole first labels, such as *.example.org.
            pier.hosts[2].names=                     | pier.hosts[2].names          | Host 2 has no names: give it at least one, such as example.org or *.example.org.
            pier.hosts[2].names=DOCS.example.test.   | pier.hosts[2].names          | Host 2's name DOCS.example.test. is already a name of host 1: each name may belong to one host only.
            pier.unknown-host=444                    | pier.unknown-host            | pier.unknown-host must be default (served from pier.document-root), 421 (Misdirected Request) or 404.
            pier.hosts[1].fallback=/guide.html       | pier.hosts[1].fallback       | pier.hosts[1].fallback must be unset or equal to the last entry of pier.hosts[1].try-files [$uri, $uri.html, =404], which replaces it: remove pier.hosts[1].fallback or end pier.hosts[1].try-files with it.
            """)
    void whenAHostCannotWorkThenStartupFailsWithOneSentenceNamingTheKey(String setting, String key, String sentence) {
        runner(setting).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageEndingWith("is invalid: " + sentence)
                    .hasMessageStartingWith("Property " + key + " with value");
        });
    }

    @Test
    void whenAHostsRootIsMissingOrAFileThenStartupFailsNamingItsKey() throws IOException {
        Path missing = base.resolve("missing");
        runner("pier.hosts[1].document-root=" + missing).run(context -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessage("Property pier.hosts[1].document-root with value '" + missing + "' is invalid: Document root " + missing
                        + " does not exist; set pier.hosts[1].document-root to an existing folder."));
        Path file = Files.writeString(base.resolve("file.txt"), "x");
        runner("pier.hosts[0].document-root=" + file).run(context -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("pier.hosts[0].document-root").hasMessageEndingWith("set pier.hosts[0].document-root to the folder holding the site."));
        runner("pier.hosts[3].names=new.test").run(context -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessage("Property pier.hosts[3].document-root with value 'null' is invalid: Each host needs a document-root, the folder whose files it serves."));
    }
}
