package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code pier.try-files}, {@code pier.trailing-slash} and {@code pier.rewrites} through the real
 * auto-configuration, over a socket: clean URLs, {@code $uri/index.html}, statuses, the SPA
 * fallback as one use of try-files, each slash policy for files and folders with and without
 * try-files and rewrites, traversal through candidates and captures, HEAD; and each mistake that
 * stops startup with its one sentence.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class TryFilesAndRewritesOverSocketTests {

    private static final String CLEAN_URLS = "pier.try-files=$uri,$uri.html,$uri/index.html,=404";

    @TempDir
    Path temp;

    private Path site;

    private ApplicationContextRunner runner(String... properties) throws IOException {
        site = Files.createDirectories(temp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "home");
        Files.writeString(site.resolve("about.html"), "about");
        Files.writeString(site.resolve("app.js"), "start()");
        Files.writeString(site.resolve(".secret.html"), "hidden");
        Files.createDirectories(site.resolve("docs"));
        Files.writeString(site.resolve("docs/index.html"), "docs");
        Files.createDirectories(site.resolve("guide"));
        Files.writeString(site.resolve("guide/index.html"), "guide");
        Files.createDirectories(site.resolve("files"));
        Files.writeString(site.resolve("files/a.txt"), "a");
        Files.createDirectories(site.resolve("posts"));
        Files.writeString(site.resolve("posts/hello.html"), "hello post");
        Files.writeString(temp.resolve("outside.html"), "outside");
        List<String> values = new ArrayList<>(List.of(properties));
        return PierContextRunner.over(site, 1)
                .withPropertyValues(values.toArray(String[]::new));
    }

    private static RawResponse get(AssertableApplicationContext context, String target) throws IOException {
        return exchange(context, "GET", target);
    }

    private static RawResponse exchange(AssertableApplicationContext context, String method, String target) throws IOException {
        try (RawClient client = RawClient.connect(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class))) {
            client.send(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            return method.equals("HEAD") ? client.readHead() : client.read();
        }
    }

    private static void assertServed(RawResponse response, String body) {
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Location")).isNull();
        assertThat(response.bodyText()).isEqualTo(body);
    }

    private static void assertMoved(RawResponse response, String location) {
        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("Location")).isEqualTo(location);
    }

    @Test
    void whenTryFilesGivesCleanUrlsThenAboutIsAboutHtmlWithoutRedirect() throws IOException {
        runner(CLEAN_URLS).run(context -> {
            assertServed(get(context, "/about"), "about");
            assertServed(get(context, "/about.html"), "about");
            assertServed(get(context, "/about?x=1"), "about");
            assertThat(get(context, "/about").header("Content-Type")).startsWith("text/html");
            assertThat(get(context, "/nothing").status()).isEqualTo(404);
            assertThat(get(context, "/app").status()).isEqualTo(404);
            assertServed(get(context, "/"), "home");
        });
    }

    @Test
    void whenACandidateIsUriSlashIndexThenTheFoldersIndexIsServedWhereItIsNamed() throws IOException {
        runner("pier.try-files=$uri.html,$uri/index.html,=404").run(context -> {
            assertServed(get(context, "/docs"), "docs");
            assertServed(get(context, "/about"), "about");
            assertServed(get(context, "/"), "home");
        });
    }

    @Test
    void whenTheLastEntryIsAnotherStatusThenThatStatusWithTheBuiltInPage() throws IOException {
        runner("pier.try-files=$uri,=410").run(context -> {
            RawResponse gone = get(context, "/old-page");
            assertThat(gone.status()).isEqualTo(410);
            assertThat(gone.bodyText()).contains("410");
            assertServed(get(context, "/about.html"), "about");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"pier.try-files=$uri,$uri/,/index.html", "pier.fallback=/index.html"})
    void whenTheFallbackIsLastThenRoutesGetItWithNoCacheAndFilesStay404(String setting) throws IOException {
        runner(setting, "pier.cache-control.[/**]=public, max-age=600").run(context -> {
            RawResponse route = get(context, "/users/42");
            assertServed(route, "home");
            assertThat(route.header("Cache-Control")).isEqualTo("no-cache");
            assertThat(get(context, "/about.html").header("Cache-Control")).isEqualTo("public, max-age=600");
            for (String file : List.of("/missing.js", "/style.css", "/favicon.ico", "/users/42.json")) {
                assertThat(get(context, file).status()).as(file).isEqualTo(404);
            }
            RawResponse head = exchange(context, "HEAD", "/users/42");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("4");
            assertThat(head.header("Cache-Control")).isEqualTo("no-cache");
        });
    }

    @Test
    void whenFallbackAndTryFilesAgreeThenBothMayBeSet() throws IOException {
        runner("pier.try-files=$uri,$uri.html,/index.html", "pier.fallback=/index.html").run(context -> {
            assertServed(get(context, "/about"), "about");
            assertServed(get(context, "/users/42"), "home");
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /docs          | 301 | /docs/
            /docs?x=1      | 301 | /docs/?x=1
            /docs/         | 200 | docs
            /about.html    | 200 | about
            /about.html/   | 200 | about
            /files/a.txt   | 200 | a
            /              | 200 | home
            """)
    void whenTrailingSlashIsAddThenFoldersGetTheirSlashAsBefore(String target, int status, String expected) throws IOException {
        runner().run(context -> assertAnswer(get(context, target), status, expected));
        runner("pier.trailing-slash=add").run(context -> assertAnswer(get(context, target), status, expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /docs          | 200 | docs
            /docs/         | 301 | /docs
            /docs/?x=1&y=2 | 301 | /docs?x=1&y=2
            /docs//        | 301 | /docs
            /about.html/   | 301 | /about.html
            /about.html    | 200 | about
            /nothing/      | 301 | /nothing
            //docs/        | 301 | /docs
            /              | 200 | home
            """)
    void whenTrailingSlashIsRemoveThenSlashesGoAndFoldersServeTheirIndexWithout(String target, int status, String expected) throws IOException {
        runner("pier.trailing-slash=remove").run(context -> assertAnswer(get(context, target), status, expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /docs          | 200 | docs
            /docs/         | 200 | docs
            /about.html/   | 200 | about
            /about.html    | 200 | about
            /docs/?x=1     | 200 | docs
            """)
    void whenTrailingSlashIsLeaveThenNoRedirectAtAll(String target, int status, String expected) throws IOException {
        runner("pier.trailing-slash=leave").run(context -> assertAnswer(get(context, target), status, expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            remove | /about/     | 301 | /about
            remove | /about/?q=1 | 301 | /about?q=1
            remove | /about      | 200 | about
            remove | /docs       | 200 | docs
            remove | /docs/      | 301 | /docs
            add    | /about      | 200 | about
            add    | /docs       | 301 | /docs/
            add    | /about/     | 404 |
            leave  | /about      | 200 | about
            leave  | /docs       | 200 | docs
            leave  | /docs/      | 200 | docs
            """)
    void whenCleanUrlsMeetEachSlashPolicyThenBothWork(String policy, String target, int status, String expected) throws IOException {
        runner(CLEAN_URLS, "pier.trailing-slash=" + policy).run(context -> assertAnswer(get(context, target), status, expected));
    }

    @Test
    void whenAFolderWithoutIndexIsListedUnderRemoveThenTheListingKeepsItsSlash() throws IOException {
        runner("pier.trailing-slash=remove", "pier.directory-listing=true").run(context -> {
            assertMoved(get(context, "/files"), "/files/");
            RawResponse listing = get(context, "/files/");
            assertThat(listing.status()).isEqualTo(200);
            assertThat(listing.bodyText()).contains("a.txt");
            assertServed(get(context, "/docs"), "docs");
        });
    }

    @Test
    void whenARewriteMatchesThenTheTargetIsServedWithoutRedirectAndTheQueryKept() throws IOException {
        runner("pier.rewrites[0].from=/blog/{slug}", "pier.rewrites[0].to=/posts/{slug}.html").run(context -> {
            assertServed(get(context, "/blog/hello"), "hello post");
            assertServed(get(context, "/blog/hello?utm=x"), "hello post");
            assertThat(get(context, "/blog/missing").status()).isEqualTo(404);
            assertThat(get(context, "/blog/a/b").status()).isEqualTo(404);
            assertServed(get(context, "/posts/hello.html"), "hello post");
            RawResponse head = exchange(context, "HEAD", "/blog/hello");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("10");
        });
    }

    @Test
    void whenRulesAreManyThenTheFirstMatchWinsInOnePass() throws IOException {
        runner("pier.rewrites[0].from=/a", "pier.rewrites[0].to=/b",
                "pier.rewrites[1].from=/b", "pier.rewrites[1].to=/about.html",
                "pier.rewrites[2].from=/a", "pier.rewrites[2].to=/about.html").run(context -> {
            // /a becomes /b, which is not rewritten again: no loop, and /b is no file.
            assertThat(get(context, "/a").status()).isEqualTo(404);
            assertServed(get(context, "/b"), "about");
        });
    }

    @Test
    void whenRewritesMeetCleanUrlsThenTheRewrittenPathIsTriedAsAnyOther() throws IOException {
        runner(CLEAN_URLS, "pier.rewrites[0].from=/blog/{slug}", "pier.rewrites[0].to=/posts/{slug}",
                "pier.rewrites[1].from=/manual/{*rest}", "pier.rewrites[1].to=/{rest}").run(context -> {
            assertServed(get(context, "/blog/hello"), "hello post");
            assertServed(get(context, "/manual/about"), "about");
            assertServed(get(context, "/manual/guide/"), "guide");
            assertMoved(get(context, "/manual/guide"), "/manual/guide/");
        });
    }

    @Test
    void whenASlashRedirectFollowsARewriteThenItNamesTheClientsUrlNotTheInternalOne() throws IOException {
        String[] rewrite = {"pier.rewrites[0].from=/manual/{*rest}", "pier.rewrites[0].to=/{rest}"};
        runner(rewrite).run(context -> {
            assertMoved(get(context, "/manual/guide?v=2"), "/manual/guide/?v=2");
            assertServed(get(context, "/manual/guide/"), "guide");
        });
        runner(rewrite[0], rewrite[1], "pier.trailing-slash=remove", CLEAN_URLS).run(context -> {
            // static-web-server's bug: with rewrites active the slash policy stopped working.
            assertMoved(get(context, "/manual/about/?v=2"), "/manual/about?v=2");
            assertServed(get(context, "/manual/about?v=2"), "about");
            assertServed(get(context, "/manual/guide"), "guide");
            assertMoved(get(context, "/blog/"), "/blog");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../outside.html", "/%2e%2e/outside.html", "/a/%2E%2E/%2e%2e/outside", "/..%2foutside", "/%2e%2e%2foutside"})
    void whenACandidateTriesToClimbOutOfTheRootThenNeverTheFileOutside(String target) throws IOException {
        runner(CLEAN_URLS).run(context -> {
            RawResponse response = get(context, target);
            assertThat(response.status()).isIn(400, 404);
            assertThat(response.bodyText()).doesNotContain("outside");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/blog/..%2F..%2Foutside", "/blog/%2e%2e%2F%2e%2e%2Foutside", "/blog/..%2F.secret", "/blog/%2Fetc%2Fpasswd"})
    void whenACaptureTriesToClimbOutOfTheRootThenNeverTheFileOutside(String target) throws IOException {
        runner("pier.rewrites[0].from=/blog/{slug}", "pier.rewrites[0].to=/posts/{slug}.html").run(context -> {
            RawResponse response = get(context, target);
            assertThat(response.status()).isIn(400, 404);
            assertThat(response.bodyText()).doesNotContain("outside").doesNotContain("hidden").doesNotContain("root:");
        });
    }

    @Test
    void whenACandidateNamesAHiddenFileThenItStaysHidden() throws IOException {
        runner(CLEAN_URLS).run(context -> {
            assertThat(get(context, "/.secret").status()).isEqualTo(404);
            assertThat(get(context, "/.secret.html").status()).isEqualTo(404);
        });
    }

    @Test
    void whenNoRewriteIsConfiguredThenNoFilterRuns() throws IOException {
        runner().run(context -> assertThat(PierContextRunner.servesStaticFilesBare(context)).isTrue());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            pier.try-files=$uri                         | pier.try-files | pier.try-files needs at least one candidate and a last entry, as in [$uri, $uri.html, =404].
            pier.try-files=$uri,$uri.html               | pier.try-files | pier.try-files[1] '$uri.html' must be a status such as =404 or a fallback path in the document root such as /index.html.
            pier.try-files=$uri,=200                    | pier.try-files | pier.try-files[1] '=200' must be an error status from =400 to =599.
            pier.try-files==404,$uri                    | pier.try-files | pier.try-files[0] '=404' must be a path starting with / or $uri; only the last entry may be a status.
            pier.try-files=$uri,$args.html,=404         | pier.try-files | pier.try-files[1] '$args.html' must be a path starting with / or $uri.
            pier.try-files=$uri,$uri$args,=404          | pier.try-files | pier.try-files[1] '$uri$args' uses a variable other than $uri, the only one Pier knows.
            pier.rewrites[0].to=https://example.test/x  | pier.rewrites[0].to | Rewrite 0's to must be a path starting with /: a rewrite stays on this server (pier.redirects sends clients elsewhere).
            pier.rewrites[0].to=/posts/{name}           | pier.rewrites[0].to | Rewrite 0's to uses {name}, which from does not capture (it captures {slug}).
            pier.rewrites[0].from=blog                  | pier.rewrites[0].from | Rewrite 0's from must start with /.
            """)
    void whenASettingCannotWorkThenStartupFailsWithOneSentenceNamingTheKey(String setting, String key, String sentence) throws IOException {
        runner("pier.rewrites[0].from=/blog/{slug}", "pier.rewrites[0].to=/posts/{slug}.html", setting).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageStartingWith("Property " + key + " with value ").hasMessageEndingWith("is invalid: " + sentence);
        });
    }

    @Test
    void whenFallbackDisagreesWithTryFilesThenStartupFailsWithOneSentence() throws IOException {
        runner("pier.try-files=$uri,=404", "pier.fallback=/index.html").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessage("Property pier.fallback with value '/index.html' is invalid: pier.fallback must be unset or equal to the last entry"
                            + " of pier.try-files [$uri, =404], which replaces it: remove pier.fallback or end pier.try-files with it.");
        });
    }

    private static void assertAnswer(RawResponse response, int status, String expected) {
        assertThat(response.status()).isEqualTo(status);
        if (status == 301) {
            assertThat(response.header("Location")).isEqualTo(expected);
        } else if (status == 200) {
            assertServed(response, expected);
        }
    }
}
