package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.rules.HtpasswdFile;
import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import dev.pier.test.LogCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * {@code pier.basic-auth} with the real auto-configuration over a socket: the 401 and its
 * challenge, the same answer whatever was wrong, static files behind it and beside it, the
 * htpasswd file replaced while serving, and each startup failure in one sentence.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class BasicAuthOverSocketTests {

    private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder(BCryptPasswordEncoder.BCryptVersion.$2Y, 4);
    private static final String CHALLENGE = "Basic realm=\"Admin area\", charset=\"UTF-8\"";

    @TempDir
    Path site;

    @TempDir
    Path etc;

    private Path users;
    private ApplicationContextRunner runner;

    @BeforeEach
    void siteAndUsers() throws IOException {
        Files.writeString(site.resolve("index.html"), "<h1>public</h1>");
        Files.createDirectories(site.resolve("admin"));
        Files.writeString(site.resolve("admin/secret.txt"), "the secret");
        users = etc.resolve("users");
        Files.writeString(users, "# admins\nadmin:" + BCRYPT.encode("pier-admin") + "\nbob:" + BCRYPT.encode("bobs password") + "\n");
        runner = PierContextRunner.over(site, 1)
                .withPropertyValues("pier.access-log.enabled=false", "pier.basic-auth[0].paths=/admin/**,/actuator/**",
                        "pier.basic-auth[0].realm=Admin area", "pier.basic-auth[0].htpasswd=" + users);
    }

    @Test
    void whenNoCredentialsAreSentThenTheAnswerIs401WithTheChallenge() {
        runner.withPropertyValues("pier.basic-auth[0].allow-plain-http=true").run(context -> {
            RawResponse response = get(context, "/admin/secret.txt", null);

            assertThat(response.status()).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).isEqualTo(CHALLENGE);
            assertThat(response.header("Cache-Control")).isEqualTo("no-store");
            assertThat(response.bodyText()).contains("401 Unauthorized").doesNotContain("the secret");
        });
    }

    @Test
    void whenTheRightPasswordIsSentThenTheFileIsServedAndPathsOutsideNeedNone() {
        runner.withPropertyValues("pier.basic-auth[0].allow-plain-http=true").run(context -> {
            RawResponse secret = get(context, "/admin/secret.txt", basic("admin", "pier-admin"));
            assertThat(secret.status()).isEqualTo(200);
            assertThat(secret.bodyText()).isEqualTo("the secret");
            // Remembered: the same field again is answered without another check, and still right.
            assertThat(get(context, "/admin/secret.txt", basic("admin", "pier-admin")).status()).isEqualTo(200);
            assertThat(get(context, "/admin/secret.txt", basic("bob", "bobs password")).status()).isEqualTo(200);

            RawResponse open = get(context, "/index.html", null);
            assertThat(open.status()).isEqualTo(200);
            assertThat(open.bodyText()).isEqualTo("<h1>public</h1>");
        });
    }

    @Test
    void whenThePasswordIsWrongOrTheUserUnknownThenTheAnswersAreIdentical() {
        runner.withPropertyValues("pier.basic-auth[0].allow-plain-http=true").run(context -> {
            RawResponse wrongPassword = get(context, "/admin/secret.txt", basic("admin", "pier-admiN"));
            RawResponse unknownUser = get(context, "/admin/secret.txt", basic("mallory", "pier-admin"));

            assertThat(wrongPassword.status()).isEqualTo(401);
            assertThat(unknownUser.status()).isEqualTo(401);
            assertThat(withoutDate(unknownUser)).isEqualTo(withoutDate(wrongPassword));
            assertThat(unknownUser.body()).isEqualTo(wrongPassword.body());
        });
    }

    @Test
    void whenTheFieldIsMalformedThenTheAnswerIs401() {
        runner.withPropertyValues("pier.basic-auth[0].allow-plain-http=true").run(context -> {
            for (String authorization : new String[] {"Basic", "Basic !!!not-base64", "Basic " + base64("admin"),
                    "Bearer " + base64("admin:pier-admin"), "Basic " + base64("admin:pier-admin") + "x"}) {
                RawResponse response = get(context, "/admin/secret.txt", authorization);
                assertThat(response.status()).as(authorization).isEqualTo(401);
                assertThat(response.header("WWW-Authenticate")).isEqualTo(CHALLENGE);
            }
        });
    }

    @Test
    void whenAPathReachesTheAreaThroughDotSegmentsOrEscapesThenItIsCoveredToo() {
        runner.withPropertyValues("pier.basic-auth[0].allow-plain-http=true").run(context -> {
            assertThat(get(context, "/public/../admin/secret.txt", null).status()).isEqualTo(401);
            assertThat(get(context, "/%61dmin/secret.txt", null).status()).isEqualTo(401);
            assertThat(get(context, "//admin//secret.txt", null).status()).isEqualTo(401);
            assertThat(get(context, "/actuator/health", null).status()).isEqualTo(401);
        });
    }

    @Test
    void whenTheRequestIsHeadThenItIsGuardedLikeGet() {
        runner.withPropertyValues("pier.basic-auth[0].allow-plain-http=true").run(context -> {
            try (RawClient client = RawClient.connect(port(context))) {
                client.send("HEAD /admin/secret.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
                RawResponse refused = client.readHead();
                assertThat(refused.status()).isEqualTo(401);
                assertThat(refused.header("WWW-Authenticate")).isEqualTo(CHALLENGE);
                client.send("HEAD /admin/secret.txt HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + basic("admin", "pier-admin") + "\r\n\r\n");
                RawResponse allowed = client.readHead();
                assertThat(allowed.status()).isEqualTo(200);
                assertThat(allowed.header("Content-Length")).isEqualTo("10");
            }
        });
    }

    @Test
    void whenTheFileIsReplacedThenNewUsersAreInAndRemovedOnesOut() {
        runner.withPropertyValues("pier.basic-auth[0].allow-plain-http=true").run(context -> {
            assertThat(get(context, "/admin/secret.txt", basic("bob", "bobs password")).status()).isEqualTo(200);

            replaceUsers("admin:" + BCRYPT.encode("pier-admin") + "\ncarol:" + BCRYPT.encode("carols password") + "\n");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(get(context, "/admin/secret.txt", basic("carol", "carols password")).status()).isEqualTo(200));
            assertThat(get(context, "/admin/secret.txt", basic("bob", "bobs password")).status()).isEqualTo(401);
            assertThat(get(context, "/admin/secret.txt", basic("admin", "pier-admin")).status()).isEqualTo(200);
        });
    }

    @Test
    void whenTheReplacementIsRefusedThenTheOldUsersStayWithOneLogLine() {
        try (LogCapture lines = LogCapture.of(HtpasswdFile.class)) {
            runner.withPropertyValues("pier.basic-auth[0].allow-plain-http=true").run(context -> {
                replaceUsers("admin:$apr1$9QhQ5kpV$JdYh2bZwXRLNjwzHEY9.R/\n");

                // The file is looked at on use, at most once a second.
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    get(context, "/admin/secret.txt", basic("bob", "bobs password"));
                    assertThat(lines.messages()).hasSize(1);
                });
                assertThat(lines.messages().get(0)).contains("line 1, holds user 'admin' with a hash in Apache MD5")
                        .endsWith("The previous users stay in force until the file is fixed.");
                assertThat(get(context, "/admin/secret.txt", basic("bob", "bobs password")).status()).isEqualTo(200);
                assertThat(get(context, "/admin/secret.txt", basic("admin", "pier-admin")).status()).isEqualTo(200);
                await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> {
                    get(context, "/admin/secret.txt", basic("bob", "bobs password"));
                    return lines.messages().size() == 1;
                });
            });
        }
    }

    @Test
    void whenServedOverPlainHttpWithoutAllowingItThenStartupFailsSayingWhy() {
        runner.run(context -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("pier.basic-auth[0].allow-plain-http")
                .hasMessageEndingWith("Basic auth over plain HTTP sends passwords in clear text: name an SSL bundle in server.ssl.bundle,"
                        + " or set pier.basic-auth[0].allow-plain-http=true if a TLS proxy in front of Pier serves the clients."));
    }

    @Test
    void whenTheFileHasAnUnsupportedHashThenStartupFailsNamingFileLineAndFormat() throws IOException {
        Files.writeString(users, "# admins\nadmin:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n");

        runner.withPropertyValues("pier.basic-auth[0].allow-plain-http=true").run(context -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("pier.basic-auth[0].htpasswd")
                .hasMessageEndingWith("The htpasswd file " + users + ", line 2, holds user 'admin' with a hash in unsalted SHA-1"
                        + " ({SHA}, htpasswd -s), which Pier refuses as too weak; make it again with htpasswd -B."));
    }

    @Test
    void whenTheFileIsMissingThenStartupFailsSayingHowToMakeIt() {
        Path missing = etc.resolve("nobody");

        runner.withPropertyValues("pier.basic-auth[0].allow-plain-http=true", "pier.basic-auth[0].htpasswd=" + missing)
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageEndingWith("The htpasswd file " + missing + " does not exist; make it with htpasswd -B -c " + missing + " <user>."));
    }

    @Test
    void whenTheRealmHasAQuoteThenStartupFailsSayingWhy() {
        runner.withPropertyValues("pier.basic-auth[0].allow-plain-http=true", "pier.basic-auth[0].realm=say \"hi\"")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("pier.basic-auth[0].realm")
                        .hasMessageEndingWith("Basic auth needs a realm, the name browsers show in their login prompt, without double quotes,"
                                + " backslashes or control characters since it is sent quoted in WWW-Authenticate, such as Admin."));
    }

    @Test
    void whenAnEntryHasNoPathsThenStartupFailsSayingWhy() {
        PierContextRunner.over(site, 1).withPropertyValues("pier.basic-auth[0].realm=Admin", "pier.basic-auth[0].htpasswd=" + users)
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageEndingWith("Basic auth needs at least one path pattern to protect, such as /admin/**."));
    }

    @Test
    void whenNoEntryIsConfiguredThenThereIsNoFilter() {
        PierContextRunner.over(site, 1).run(context -> assertThat(PierContextRunner.servesStaticFilesBare(context)).isTrue());
    }

    private void replaceUsers(String content) throws IOException {
        Path next = etc.resolve("users.new");
        Files.writeString(next, content);
        Files.move(next, users, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static RawResponse get(AssertableApplicationContext context, String target, String authorization) throws IOException {
        try (RawClient client = RawClient.connect(port(context))) {
            client.send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                    + "Connection: close\r\n\r\n");
            return client.read();
        }
    }

    private static int port(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    private static Object withoutDate(RawResponse response) {
        var headers = new java.util.TreeMap<>(response.headers());
        headers.keySet().removeIf(name -> name.equalsIgnoreCase("Date"));
        return response.statusLine() + headers;
    }

    private static String basic(String user, String password) {
        return "Basic " + base64(user + ":" + password);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
