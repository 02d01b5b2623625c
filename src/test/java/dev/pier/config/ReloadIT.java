package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.Executables;
import dev.pier.PackagedJar;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code systemctl reload pier} as it happens: the packaged jar, its configuration file rewritten,
 * then {@code SIGHUP}, five times while wrk keeps 32 connections busy. Not one request may fail or
 * get another status than 200, and each reload must show in the answers. Runs under Failsafe,
 * after {@code package}; skipped when Surefire picks it up.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReloadIT {

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final int RELOADS = 5;

    @TempDir
    Path dir;

    private PackagedJar pier;
    private Process wrk;

    @AfterEach
    void stop() throws InterruptedException {
        if (wrk != null) {
            wrk.destroy();
            wrk.waitFor(10, TimeUnit.SECONDS);
        }
        if (pier != null) {
            pier.process().destroy();
            pier.process().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String config(String version) {
        return """
                pier:
                  headers:
                    "[/**]":
                      X-Config: %s
                  redirects:
                    - from: /old-%s
                      to: /index.html
                """.formatted(version, version);
    }

    private static void hangUp(Process process) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -HUP").isTrue();
    }

    private static long reloadsLogged(PackagedJar pier, String line) throws IOException {
        return pier.output().lines().filter(logged -> logged.contains(line)).count();
    }

    @Test
    void whenSighupArrivesFiveTimesUnderLoadThenEveryReloadServesAndNoRequestFails() throws Exception {
        String packaged = System.getProperty(PackagedJar.PROPERTY);
        assumeTrue(packaged != null, "runs under Failsafe, after package has built the jar");
        String wrkPath = Executables.find("wrk");
        assumeTrue(wrkPath != null, "wrk is on the PATH (.ci/run installs it)");
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>reloaded</h1>");
        Path config = dir.resolve("pier.yml");
        Files.writeString(config, config("0"));
        pier = PackagedJar.start(Path.of(packaged), dir.resolve("pier.log"), List.of(),
                List.of("--server.address=127.0.0.1", "--pier.document-root=" + site, "--spring.config.additional-location=file:" + config));
        HttpClient client = HttpClient.newHttpClient();
        URI index = URI.create("http://127.0.0.1:" + pier.port() + "/index.html");
        assertThat(client.send(HttpRequest.newBuilder(index).build(), HttpResponse.BodyHandlers.ofString()).headers().firstValue("X-Config"))
                .hasValue("0");

        Path wrkOutput = dir.resolve("wrk.txt");
        wrk = new ProcessBuilder(wrkPath, "-t2", "-c32", "-d8s", index.toString()).redirectErrorStream(true).redirectOutput(wrkOutput.toFile()).start();
        for (int i = 1; i <= RELOADS; i++) {
            String version = Integer.toString(i);
            Files.writeString(config, config(version));
            hangUp(pier.process());
            long expected = i;
            await("reload " + i).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> reloadsLogged(pier, "Reloaded the configuration") == expected);
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(index).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.headers().firstValue("X-Config")).as("after reload %d", i).hasValue(version);
            HttpResponse<String> redirect = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pier.port() + "/old-" + version)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(redirect.statusCode()).isEqualTo(301);
        }
        assertThat(wrk.waitFor(30, TimeUnit.SECONDS)).as("wrk ends by itself").isTrue();
        String report = Files.readString(wrkOutput, StandardCharsets.UTF_8);
        System.out.println("wrk during " + RELOADS + " reloads:\n" + report);
        Matcher requests = REQUESTS.matcher(report);
        assertThat(requests.find()).as(report).isTrue();
        assertThat(Long.parseLong(requests.group(1))).as(report).isGreaterThan(1000);
        assertThat(report).as("wrk counts every failure in these lines").doesNotContain("Socket errors").doesNotContain("Non-2xx or 3xx");

        // A mistake in the file: refused in one line, and the last good configuration keeps serving.
        Files.writeString(config, config("6") + "      status: 299\n");
        hangUp(pier.process());
        await("the refusal").atMost(Duration.ofSeconds(15)).until(() -> reloadsLogged(pier, "Reload refused") == 1);
        assertThat(pier.output()).contains("Reload refused, the running configuration keeps serving: Property pier.redirects[0].status with value '299'");
        assertThat(client.send(HttpRequest.newBuilder(index).build(), HttpResponse.BodyHandlers.ofString()).headers().firstValue("X-Config"))
                .hasValue(Integer.toString(RELOADS));
        assertThat(pier.process().isAlive()).as("SIGHUP does not stop the JVM").isTrue();
    }
}
