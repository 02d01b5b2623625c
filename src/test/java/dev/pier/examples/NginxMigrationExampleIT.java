package dev.pier.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.PackagedJar;
import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked example of docs/NGINX.md, {@code examples/nginx-migration}, run as its README says:
 * the packaged jar started from that folder, reading its {@code application.yml}, answering
 * exactly what issue 17 asks of it.
 */
class NginxMigrationExampleIT {

    @TempDir
    static Path logs;

    private static PackagedJar pier;

    @BeforeAll
    static void start() throws IOException {
        String packaged = System.getProperty(PackagedJar.PROPERTY);
        assumeTrue(packaged != null, "runs under Failsafe, after package has built the jar");
        pier = PackagedJar.start(Path.of(packaged), logs.resolve("pier.log"), List.of(), List.of(), Path.of("examples", "nginx-migration"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (pier != null) {
            pier.process().destroyForcibly();
            pier.process().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void wwwGoesToTheApexWithThePathAndQuery() throws IOException {
        RawResponse response = get("www.example.test", "/a/b?x=1", null);
        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("Location")).isEqualTo("http://example.test/a/b?x=1");
        assertThat(get("www.example.test", "/", null).header("Location")).isEqualTo("http://example.test/");
    }

    @Test
    void cleanUrlsServeTheHtmlFileWithoutARedirect() throws IOException {
        RawResponse about = get("example.test", "/about", null);
        assertThat(about.status()).isEqualTo(200);
        assertThat(about.bodyText()).contains("<h1>About</h1>");
    }

    @Test
    void oldPathsMovePermanentlyToNewOnes() throws IOException {
        RawResponse response = get("example.test", "/old/some/page?q=1", null);
        assertThat(response.status()).isEqualTo(308);
        assertThat(response.header("Location")).isEqualTo("/new/some/page?q=1");
    }

    @Test
    void adminNeedsItsUser() throws IOException {
        RawResponse anonymous = get("example.test", "/admin/", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Admin\", charset=\"UTF-8\"");
        assertThat(get("example.test", "/admin/", "admin:wrong").status()).isEqualTo(401);
        RawResponse admin = get("example.test", "/admin/", "admin:pier-admin");
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.bodyText()).contains("<h1>Admin</h1>");
    }

    /** Ten within the second (5 per second and a burst of 5), the eleventh refused; quick enough on any machine, as the bucket refills 5 per second. */
    @Test
    void theApiAllowsFivePerSecondWithABurstOfFive() throws IOException {
        List<Integer> statuses = new ArrayList<>();
        RawResponse last = null;
        long started = System.nanoTime();
        for (int i = 0; i < 11; i++) {
            last = get("example.test", "/api/status.json", null);
            statuses.add(last.status());
        }
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assumeTrue(elapsedMillis < 150, "eleven requests took " + elapsedMillis + " ms: the bucket refilled meanwhile");
        assertThat(statuses.subList(0, 10)).containsOnly(200);
        assertThat(statuses.get(10)).isEqualTo(429);
        assertThat(Integer.parseInt(last.header("Retry-After"))).isPositive();
    }

    @Test
    void theSecondSiteHasItsOwnRoot() throws IOException {
        RawResponse docs = get("docs.example.test", "/", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.bodyText()).contains("<h1>docs.example.test</h1>");
    }

    private static RawResponse get(String host, String target, String credentials) throws IOException {
        String authorization = credentials == null ? ""
                : "Authorization: Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)) + "\r\n";
        try (RawClient client = RawClient.connect(pier.port())) {
            return client.send("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" + authorization + "Connection: close\r\n\r\n").read();
        }
    }
}
