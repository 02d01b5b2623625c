package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.PierApplication;
import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import dev.pier.tls.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Reloading over real sockets: the application started as an operator starts it, with a
 * configuration file named on the command line, which each test rewrites and reloads.
 */
class SiteReloadOverSocketTests {

    @TempDir
    Path dir;

    private Path site;
    private Path config;

    @BeforeEach
    void setUp() throws IOException {
        site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "home");
        Files.writeString(site.resolve("about.html"), "about");
        Files.createDirectories(site.resolve("api"));
        Files.writeString(site.resolve("api/x.txt"), "api");
        config = dir.resolve("pier.yml");
    }

    private ConfigurableApplicationContext start(String yaml, String... arguments) throws IOException {
        Files.writeString(config, yaml);
        List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1", "pier.document-root=" + site,
                "pier.event-loops=1", "pier.worker-threads=2", "spring.main.banner-mode=off", "spring.config.additional-location=file:" + config));
        all.addAll(List.of(arguments));
        return new SpringApplicationBuilder(PierApplication.class).run(all.stream().map(argument -> "--" + argument).toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    private SiteReload.Outcome reload(ConfigurableApplicationContext context, String yaml) throws IOException {
        Files.writeString(config, yaml);
        return context.getBean(SiteReload.class).reload();
    }

    private static RawResponse get(ConfigurableApplicationContext context, String path, String... fields) throws IOException {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
        if (!List.of(fields).contains("Host")) {
            request.append("Host: localhost\r\n");
        }
        for (int i = 0; i < fields.length; i += 2) {
            request.append(fields[i]).append(": ").append(fields[i + 1]).append("\r\n");
        }
        try (RawClient client = RawClient.connect(port(context))) {
            client.send(request.append("Connection: close\r\n\r\n").toString());
            return client.read();
        }
    }

    @Test
    void whenRulesAreAddedChangedAndRemovedThenEachReloadServesTheFileAsItIsNow() throws IOException {
        try (ConfigurableApplicationContext context = start("pier: {}\n")) {
            assertThat(PierContextRunner.servesStaticFilesBare(context)).isTrue();
            assertThat(get(context, "/old/a").status()).isEqualTo(404);

            SiteReload.Outcome added = reload(context, """
                    pier:
                      redirects:
                        - from: /old/{*rest}
                          to: /new/{rest}
                          status: 308
                      headers:
                        "[/**]":
                          X-Version: one
                      rewrites:
                        - from: /about
                          to: /about.html
                    """);
            assertThat(added.reloaded()).as(added.message()).isTrue();
            assertThat(added.needRestart()).isEmpty();
            RawResponse redirected = get(context, "/old/a/b");
            assertThat(redirected.status()).isEqualTo(308);
            assertThat(redirected.header("Location")).isEqualTo("/new/a/b");
            RawResponse about = get(context, "/about");
            assertThat(about.bodyText()).isEqualTo("about");
            assertThat(about.header("X-Version")).isEqualTo("one");

            SiteReload.Outcome changed = reload(context, """
                    pier:
                      headers:
                        "[/**]":
                          X-Version: two
                    """);
            assertThat(changed.reloaded()).isTrue();
            assertThat(get(context, "/").header("X-Version")).isEqualTo("two");
            assertThat(get(context, "/old/a").status()).as("the redirect is gone").isEqualTo(404);

            assertThat(reload(context, "pier: {}\n").reloaded()).isTrue();
            assertThat(PierContextRunner.servesStaticFilesBare(context)).as("no filter left").isTrue();
            assertThat(get(context, "/").header("X-Version")).isNull();
        }
    }

    @Test
    void whenTheNewFileHasAMistakeThenTheReloadIsRefusedInOneLineAndTheRunningRulesKeepServing() throws IOException {
        String good = """
                pier:
                  headers:
                    "[/**]":
                      X-Version: good
                """;
        try (ConfigurableApplicationContext context = start(good)) {
            SiteReload.Outcome refused = reload(context, """
                    pier:
                      headers:
                        "[/**]":
                          X-Version: bad
                      redirects:
                        - from: /a
                          to: /b
                          status: 299
                    """);
            assertThat(refused.reloaded()).as(refused.message()).isFalse();
            assertThat(refused.message()).contains("pier.redirects[0].status").doesNotContain("\n");
            assertThat(get(context, "/").header("X-Version")).isEqualTo("good");

            SiteReload.Outcome unbound = reload(context, """
                    pier:
                      rate-limits:
                        - paths: /api/**
                          rate: lots
                    """);
            assertThat(unbound.reloaded()).isFalse();
            assertThat(unbound.message()).contains("pier.rate-limits[0].rate");
            assertThat(get(context, "/").header("X-Version")).isEqualTo("good");

            SiteReload.Outcome missingRoot = reload(context, "pier:\n  hosts:\n    - names: x.test\n      document-root: " + dir.resolve("nowhere") + "\n");
            assertThat(missingRoot.reloaded()).isFalse();
            assertThat(missingRoot.message()).contains("pier.hosts[0].document-root").contains("nowhere");
            assertThat(get(context, "/").bodyText()).isEqualTo("home");
        }
    }

    @Test
    void whenAKeyOnlyARestartAppliesChangesThenTheReloadSaysSoAndKeepsItsRunningValue() throws IOException {
        try (ConfigurableApplicationContext context = start("pier:\n  limits:\n    keep-alive-requests: 100\n")) {
            SiteReload.Outcome outcome = reload(context, """
                    pier:
                      limits:
                        keep-alive-requests: 5
                      headers:
                        "[/**]":
                          X-Version: new
                    """);
            assertThat(outcome.reloaded()).isTrue();
            assertThat(outcome.needRestart()).containsExactly("pier.limits.keep-alive-requests (100 -> 5)");
            assertThat(outcome.message()).contains("take a restart");
            assertThat(get(context, "/").header("X-Version")).isEqualTo("new");
        }
    }

    @Test
    void whenRateLimitsAreUnchangedThenAReloadKeepsTheirBucketsAndWhenChangedStartsAfresh() throws IOException {
        String limited = """
                pier:
                  rate-limits:
                    - paths: /api/**
                      rate: 1/m
                """;
        try (ConfigurableApplicationContext context = start(limited)) {
            assertThat(get(context, "/api/x.txt").status()).isEqualTo(200);
            assertThat(get(context, "/api/x.txt").status()).isEqualTo(429);
            assertThat(reload(context, limited + "  headers:\n    \"[/**]\":\n      X-Version: two\n").reloaded()).isTrue();
            assertThat(get(context, "/api/x.txt").status()).as("the same bucket, still empty").isEqualTo(429);
            assertThat(reload(context, limited.replace("1/m", "2/m")).reloaded()).isTrue();
            assertThat(get(context, "/api/x.txt").status()).as("a new limit, a new bucket").isEqualTo(200);
        }
    }

    @Test
    void whenMaintenanceIsSwitchedInTheFileThenAReloadSwitchesIt() throws IOException {
        try (ConfigurableApplicationContext context = start("pier: {}\n")) {
            assertThat(reload(context, "pier:\n  maintenance:\n    enabled: true\n").reloaded()).isTrue();
            RawResponse down = get(context, "/");
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.header("Retry-After")).isNotNull();
            assertThat(get(context, "/actuator/health").status()).as("probes stay exempt").isEqualTo(200);
            assertThat(reload(context, "pier:\n  maintenance:\n    enabled: false\n").reloaded()).isTrue();
            assertThat(get(context, "/").status()).isEqualTo(200);
        }
    }

    @Test
    void whenVirtualHostsAndBasicAuthAreAddedThenTheyServe() throws IOException {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("index.html"), "docs home");
        Path users = dir.resolve("htpasswd");
        // "secret" hashed by htpasswd -B -C 4.
        Files.writeString(users, "admin:$2y$04$Xj.VwL8Onnnc6zItBkU89.6r4HBFJbZBui8L4t2eBPvZ3SGJocdjW\n");
        try (ConfigurableApplicationContext context = start("pier: {}\n")) {
            SiteReload.Outcome outcome = reload(context, """
                    pier:
                      hosts:
                        - names: docs.test
                          document-root: %s
                      basic-auth:
                        - paths: /api/**
                          realm: API
                          htpasswd: %s
                          allow-plain-http: true
                    """.formatted(docs, users));
            assertThat(outcome.reloaded()).as(outcome.message()).isTrue();
            assertThat(get(context, "/", "Host", "docs.test").bodyText()).isEqualTo("docs home");
            assertThat(get(context, "/").bodyText()).isEqualTo("home");
            RawResponse locked = get(context, "/api/x.txt");
            assertThat(locked.status()).isEqualTo(401);
            assertThat(locked.header("WWW-Authenticate")).startsWith("Basic realm=\"API\"");
        }
    }

    @Test
    void whenTheEndpointIsExposedThenAPostReloadsAndARefusalAnswers422() throws IOException {
        try (ConfigurableApplicationContext context = start("pier: {}\n", "management.endpoints.web.exposure.include=health,reload")) {
            Files.writeString(config, "pier:\n  headers:\n    \"[/**]\":\n      X-Version: posted\n");
            RawResponse done = post(context, "/actuator/reload");
            assertThat(done.status()).isEqualTo(200);
            assertThat(done.bodyText()).contains("\"reloaded\":true");
            assertThat(get(context, "/").header("X-Version")).isEqualTo("posted");

            Files.writeString(config, "pier:\n  redirects:\n    - from: /a\n");
            RawResponse refused = post(context, "/actuator/reload");
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.bodyText()).contains("\"reloaded\":false").contains("pier.redirects[0].to");
            assertThat(get(context, "/").header("X-Version")).isEqualTo("posted");
        }
    }

    private static RawResponse post(ConfigurableApplicationContext context, String path) throws IOException {
        try (RawClient client = RawClient.connect(port(context))) {
            client.send("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return client.read();
        }
    }

    @Test
    void whenTheCertificateFilesChangeThenAReloadServesTheNewCertificateToNewConnections() throws Exception {
        Path certificates = Files.createDirectories(dir.resolve("tls"));
        TestCertificates first = TestCertificates.named("first");
        TestCertificates second = TestCertificates.named("second");
        first.writePem(certificates);
        String tls = """
                server:
                  ssl:
                    bundle: web
                spring:
                  ssl:
                    bundle:
                      pem:
                        web:
                          keystore:
                            certificate: file:%s
                            private-key: file:%s
                """.formatted(certificates.resolve("cert.pem"), certificates.resolve("key.pem"));
        try (ConfigurableApplicationContext context = start(tls)) {
            int port = port(context);
            assertThat(served(port, first, second).getSubjectX500Principal().getName()).isEqualTo("CN=first");
            SiteReload.Outcome unchanged = reload(context, tls);
            assertThat(unchanged.message()).doesNotContain("new certificates");

            second.writePem(certificates);
            SiteReload.Outcome outcome = reload(context, tls);
            assertThat(outcome.reloaded()).as(outcome.message()).isTrue();
            assertThat(outcome.message()).contains("new certificates for SSL bundles [web]");
            assertThat(served(port, first, second).getSubjectX500Principal().getName()).isEqualTo("CN=second");

            Files.writeString(certificates.resolve("cert.pem"), "not a certificate");
            SiteReload.Outcome refused = reload(context, tls);
            assertThat(refused.reloaded()).isFalse();
            assertThat(refused.message()).contains("spring.ssl.bundle.pem.web");
            assertThat(served(port, first, second).getSubjectX500Principal().getName()).isEqualTo("CN=second");
        }
    }

    private static X509Certificate served(int port, TestCertificates... trusted) throws Exception {
        try (SSLSocket socket = (SSLSocket) TestCertificates.trusting(trusted).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
