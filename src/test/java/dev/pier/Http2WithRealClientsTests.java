package dev.pier;

import dev.pier.test.HeadlessChromium;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pier.observe.AccessLog;
import dev.pier.tls.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * HTTP/2 with the clients people use, against the whole application run twice with the
 * {@code examples} profile: on plain HTTP, where curl speaks h2c by prior knowledge
 * ({@code --http2-prior-knowledge}) or asks to upgrade ({@code --http2}, and the JDK's
 * {@code HttpClient}, whose {@code HTTP_2} on an {@code http://} URI upgrades), and on HTTPS with
 * a self-signed certificate, where ALPN chooses {@code h2} for curl, the JDK's client and headless
 * Chromium (driven over the DevTools protocol, since only the page itself can tell its navigation's
 * protocol). The landing page, Actuator's health, the to-do JSON API, a form, an upload, a chunked
 * stream and server-sent events, and the access log's {@code HTTP/2.0}. Skips what needs curl or
 * Chromium where they are missing, saying so ({@code .ci/run} installs Chromium).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class Http2WithRealClientsTests {

    private static final String LANDING = "It works: Pier is serving this page";

    @TempDir
    static Path work;

    private static ConfigurableApplicationContext plain;
    private static ConfigurableApplicationContext secure;
    /** {@code http://127.0.0.1:port}: h2c by prior knowledge or Upgrade, and HTTP/1.1. */
    private static String http;
    /** {@code https://127.0.0.1:port}: h2 or HTTP/1.1 by ALPN. */
    private static String https;
    private static TestCertificates certificate;
    private static ListAppender<ILoggingEvent> accessLog;

    @BeforeAll
    static void startPier() throws Exception {
        certificate = TestCertificates.named("h2-clients");
        Path pem = Files.createDirectories(work.resolve("tls"));
        certificate.writePem(pem);
        plain = start();
        secure = start("--server.ssl.bundle=web", "--spring.ssl.bundle.pem.web.keystore.certificate=file:" + pem.resolve("cert.pem"),
                "--spring.ssl.bundle.pem.web.keystore.private-key=file:" + pem.resolve("key.pem"));
        http = "http://127.0.0.1:" + plain.getEnvironment().getProperty("local.server.port");
        https = "https://127.0.0.1:" + secure.getEnvironment().getProperty("local.server.port");
        // Joins once both applications have configured logging, which resets the loggers.
        accessLog = new ListAppender<>();
        accessLog.start();
        accessLogger().addAppender(accessLog);
    }

    private static ConfigurableApplicationContext start(String... args) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--pier.document-root=site", "--pier.event-loops=1",
                "--pier.worker-threads=2", "--spring.main.banner-mode=off"));
        all.addAll(List.of(args));
        return new SpringApplicationBuilder(PierApplication.class).profiles("examples").run(all.toArray(String[]::new));
    }

    @AfterAll
    static void stopPier() {
        if (accessLog != null) {
            accessLogger().detachAppender(accessLog);
        }
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {plain, secure}) {
            if (context != null) {
                context.close();
            }
        }
    }

    // ---- h2c by prior knowledge ------------------------------------------------------------------

    @Test
    void whenCurlSpeaksH2cByPriorKnowledgeThenTheLandingPageHealthAndTheTodoApiAnswerInHttp2() throws Exception {
        Curl landing = curl("--http2-prior-knowledge", http + "/");
        assertThat(landing.version()).isEqualTo("2");
        assertThat(landing.status()).isEqualTo(200);
        assertThat(landing.body()).contains(LANDING);

        Curl health = curl("--http2-prior-knowledge", http + "/actuator/health");
        assertThat(health.version()).isEqualTo("2");
        assertThat(health.status()).isEqualTo(200);
        assertThat(json(health.body()).get("status").asString()).isEqualTo("UP");

        Curl created = curl("--http2-prior-knowledge", "-H", "Content-Type: application/json", "--data-binary", "{\"title\":\"try h2c\"}",
                http + "/examples/todos");
        assertThat(created.version()).isEqualTo("2");
        assertThat(created.status()).isEqualTo(201);
        long id = json(created.body()).get("id").asLong();
        Curl read = curl("--http2-prior-knowledge", http + "/examples/todos/" + id);
        assertThat(read.version()).isEqualTo("2");
        assertThat(read.status()).isEqualTo(200);
        assertThat(json(read.body()).get("title").asString()).isEqualTo("try h2c");
        assertThat(json(read.body()).get("done").asBoolean()).isFalse();

        Curl missing = curl("--http2-prior-knowledge", http + "/examples/todos/999999");
        assertThat(missing.version()).isEqualTo("2");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("No to-do 999999");
    }

    // ---- h2c by Upgrade -----------------------------------------------------------------------------

    @Test
    void whenCurlAsksToUpgradeToH2cThenPierSwitchesProtocolsAndAnswersInHttp2() throws Exception {
        for (String path : List.of("/", "/actuator/health", "/examples/todos")) {
            Curl answer = curl("-v", "--http2", http + path);
            assertThat(answer.stderr()).as(path).contains("Upgrade: h2c").contains("HTTP/1.1 101 Switching Protocols");
            assertThat(answer.version()).as(path).isEqualTo("2");
            assertThat(answer.status()).as(path).isEqualTo(200);
        }
        assertThat(curl("--http2", http + "/").body()).contains(LANDING);
        assertThat(json(curl("--http2", http + "/actuator/health").body()).get("status").asString()).isEqualTo("UP");
        assertThat(json(curl("--http2", http + "/examples/todos").body()).isArray()).isTrue();
    }

    @Test
    void whenTheJdkClientAsksForHttp2OnAnHttpUriThenItUpgradesAndGoesOnInHttp2() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> landing = client.send(get(http + "/"), HttpResponse.BodyHandlers.ofString());
        assertThat(landing.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(landing.body()).contains(LANDING);

        HttpResponse<String> health = client.send(get(http + "/actuator/health"), HttpResponse.BodyHandlers.ofString());
        assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(json(health.body()).get("status").asString()).isEqualTo("UP");

        HttpResponse<String> todos = client.send(get(http + "/examples/todos"), HttpResponse.BodyHandlers.ofString());
        assertThat(todos.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(todos.statusCode()).isEqualTo(200);
        assertThat(todos.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));

        // A request with a body never asks to upgrade; on the upgraded connection it goes as HTTP/2.
        HttpResponse<String> echo = client.send(HttpRequest.newBuilder(URI.create(http + "/echo")).header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("name=Ada&lang=en")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(echo.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(echo.statusCode()).isEqualTo(200);
        assertThat(json(echo.body()).get("name").get(0).asString()).isEqualTo("Ada");
        assertThat(json(echo.body()).get("lang").get(0).asString()).isEqualTo("en");
    }

    // ---- h2 over TLS by ALPN ------------------------------------------------------------------------

    @Test
    void whenTheJdkClientConnectsOverTlsThenAlpnChoosesH2() throws Exception {
        HttpClient client = tlsClient();

        HttpResponse<String> landing = client.send(get(https + "/"), HttpResponse.BodyHandlers.ofString());
        assertThat(landing.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(landing.body()).contains(LANDING);
        assertThat(landing.sslSession().orElseThrow().getPeerCertificates()[0]).isEqualTo(certificate.certificate());

        HttpResponse<String> health = client.send(get(https + "/actuator/health"), HttpResponse.BodyHandlers.ofString());
        assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(json(health.body()).get("status").asString()).isEqualTo("UP");

        HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(https + "/examples/todos"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"try h2\",\"done\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("location").orElseThrow();
        HttpResponse<String> read = client.send(get(https + location), HttpResponse.BodyHandlers.ofString());
        assertThat(read.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(json(read.body()).get("done").asBoolean()).isTrue();
    }

    @Test
    void whenCurlConnectsOverTlsThenAlpnChoosesH2AndHttp11IsStillServedToWhoAsksForIt() throws Exception {
        for (String path : List.of("/", "/actuator/health", "/examples/todos")) {
            Curl answer = curl("-v", "-k", "--http2", https + path);
            assertThat(answer.stderr()).as(path).containsPattern("ALPN[:,] server accepted (to use )?h2\\b");
            assertThat(answer.version()).as(path).isEqualTo("2");
            assertThat(answer.status()).as(path).isEqualTo(200);
        }
        assertThat(curl("-k", "--http2", https + "/").body()).contains(LANDING);

        Curl http11 = curl("-v", "-k", "--http1.1", https + "/");
        assertThat(http11.stderr()).containsPattern("ALPN[:,] server accepted (to use )?http/1\\.1");
        assertThat(http11.version()).isEqualTo("1.1");
        assertThat(http11.body()).contains(LANDING);
    }

    @Test
    void whenChromiumLoadsTheLandingPageOverHttpsThenItsNavigationAndSubresourcesWentOverH2() throws Exception {
        String browser = Executables.chromium();
        assumeTrue(browser != null, "Chromium is not installed, so the HTTP/2 browser test is skipped;"
                + " install it with apt-get install -y chromium (.ci/run does) to run it");
        try (HeadlessChromium devTools = HeadlessChromium.start(browser, work.resolve("profile"), "--ignore-certificate-errors")) {
            devTools.call("Page.enable", JsonMapper.shared().createObjectNode());
            JsonNode navigated = devTools.call("Page.navigate", JsonMapper.shared().createObjectNode().put("url", https + "/"));
            assertThat(navigated.path("errorText").asString("")).as("the navigation's error").isEmpty();
            ObjectNode evaluate = JsonMapper.shared().createObjectNode().put("expression", """
                    new Promise(resolve => {
                      const report = () => resolve(JSON.stringify({
                        url: location.href,
                        title: document.title,
                        text: document.body.innerText,
                        protocol: performance.getEntriesByType('navigation')[0].nextHopProtocol,
                        resources: performance.getEntriesByType('resource').map(e => ({name: e.name, protocol: e.nextHopProtocol}))
                      }));
                      if (document.readyState === 'complete') report(); else addEventListener('load', report);
                    })""").put("awaitPromise", true).put("returnByValue", true);
            JsonNode page = null;
            for (int attempt = 0; attempt < 50; attempt++) {
                JsonNode result = devTools.call("Runtime.evaluate", evaluate);
                if (!result.has("exceptionDetails")) {
                    page = json(result.path("result").path("value").asString());
                    if (page.get("url").asString().startsWith(https)) {
                        break;
                    }
                }
                Thread.sleep(100);
            }
            assertThat(page).as("the page's report").isNotNull();
            assertThat(page.get("url").asString()).isEqualTo(https + "/");
            assertThat(page.get("title").asString()).isEqualTo("Pier: a Spring Boot app with its own HTTP/1.1 server");
            assertThat(page.get("text").asString()).contains(LANDING);
            assertThat(page.get("protocol").asString()).as("the navigation's nextHopProtocol").isEqualTo("h2");
            List<String> resources = new ArrayList<>();
            for (JsonNode resource : page.get("resources")) {
                if (resource.get("name").asString().startsWith(https)) {
                    resources.add(resource.get("name").asString().substring(https.length()));
                    assertThat(resource.get("protocol").asString()).as(resource.get("name").asString()).isEqualTo("h2");
                }
            }
            assertThat(resources).as("what the page loaded besides itself").contains("/style.css", "/images/pier-logo.svg");
        }
        assertThat(awaitAccessLine("\"GET / HTTP/2.0\" 200 \\d+ \"-\" \"[^\"]*HeadlessChrome[^\"]*\"")).isNotNull();
        assertThat(awaitAccessLine("\"GET /style.css HTTP/2.0\" 200 \\d+ \"" + Pattern.quote(https) + "/\" \"[^\"]*HeadlessChrome[^\"]*\""))
                .isNotNull();
    }

    // ---- bodies both ways -----------------------------------------------------------------------------

    @Test
    void whenCurlUploadsAFileOverH2cThenTheHandlerDigestsItWhole() throws Exception {
        byte[] content = new byte[5 * 1024 * 1024 + 7];
        new Random(31).nextBytes(content);
        Path file = Files.write(work.resolve("upload.bin"), content);

        Curl upload = curl("--http2-prior-knowledge", "-T", file.toString(), http + "/examples/upload");

        assertThat(upload.version()).isEqualTo("2");
        assertThat(upload.status()).isEqualTo(200);
        assertThat(json(upload.body()).get("bytes").asLong()).isEqualTo(content.length);
        assertThat(json(upload.body()).get("sha256").asString()).isEqualTo(sha256(content));

        Curl form = curl("--http2-prior-knowledge", "-d", "name=Ada Lovelace", http + "/echo");
        assertThat(form.version()).isEqualTo("2");
        assertThat(json(form.body()).get("name").get(0).asString()).isEqualTo("Ada Lovelace");
    }

    @Test
    void whenTheJdkClientPostsABodyOverTlsH2ThenTheHandlerDigestsItWhole() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 1];
        new Random(37).nextBytes(content);

        HttpResponse<String> upload = tlsClient().send(HttpRequest.newBuilder(URI.create(https + "/examples/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(upload.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(upload.statusCode()).isEqualTo(200);
        assertThat(json(upload.body()).get("bytes").asLong()).isEqualTo(content.length);
        assertThat(json(upload.body()).get("sha256").asString()).isEqualTo(sha256(content));
    }

    @Test
    void whenNumbersAreStreamedOverH2ThenEveryLineArrivesInOrder() throws Exception {
        Curl numbers = curl("--http2-prior-knowledge", "-N", http + "/examples/numbers?count=100000");
        assertThat(numbers.version()).isEqualTo("2");
        assertThat(numbers.body()).isEqualTo(LongStream.rangeClosed(1, 100_000).mapToObj(i -> i + "\n").collect(Collectors.joining()));

        HttpResponse<Stream<String>> lines = tlsClient().send(get(https + "/examples/numbers?count=50000"), HttpResponse.BodyHandlers.ofLines());
        assertThat(lines.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(lines.headers().firstValue("transfer-encoding")).as("no such field in HTTP/2").isEmpty();
        try (Stream<String> body = lines.body()) {
            assertThat(body.mapToLong(Long::parseLong).toArray()).isEqualTo(LongStream.rangeClosed(1, 50_000).toArray());
        }
    }

    @Test
    void whenTheClockSendsEventsOverH2ThenTheyArriveOneByOneAsSent() throws Exception {
        HttpResponse<Stream<String>> response = tlsClient().send(get(https + "/examples/clock"), HttpResponse.BodyHandlers.ofLines());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        long started = System.nanoTime();
        List<String> ids = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            // Stops reading after the third event; closing the stream resets it, and the clock stops ticking for it.
            lines.takeWhile(line -> ids.size() < 3).forEach(line -> {
                if (line.startsWith("id: ")) {
                    ids.add(line.substring(4));
                }
            });
        }
        assertThat(ids).containsExactly("1", "2", "3");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("one event a second, the first at once").isBetween(Duration.ofMillis(1500),
                Duration.ofSeconds(10));
    }

    // ---- the access log ---------------------------------------------------------------------------------

    @Test
    void whenRequestsComeOverHttp2ThenTheAccessLogSaysHttp2() throws Exception {
        long size = Files.size(Path.of("site", "index.html"));

        curl("--http2-prior-knowledge", http + "/?via=prior-knowledge");
        curl("--http2", http + "/?via=upgrade");
        tlsClient().send(get(https + "/?via=alpn"), HttpResponse.BodyHandlers.ofString());
        curl("--http1.1", http + "/?via=http1");

        assertThat(awaitAccessLine("127\\.0\\.0\\.1 - - \\[.+] \"GET /\\?via=prior-knowledge HTTP/2\\.0\" 200 " + size + " \"-\" \"curl/[^\"]+\""))
                .isNotNull();
        assertThat(awaitAccessLine("127\\.0\\.0\\.1 - - \\[.+] \"GET /\\?via=upgrade HTTP/2\\.0\" 200 " + size + " \"-\" \"curl/[^\"]+\""))
                .isNotNull();
        assertThat(awaitAccessLine("127\\.0\\.0\\.1 - - \\[.+] \"GET /\\?via=alpn HTTP/2\\.0\" 200 " + size + " \"-\" \"Java-http-client/[^\"]+\""))
                .isNotNull();
        assertThat(awaitAccessLine("127\\.0\\.0\\.1 - - \\[.+] \"GET /\\?via=http1 HTTP/1\\.1\" 200 " + size + " \"-\" \"curl/[^\"]+\""))
                .isNotNull();
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static HttpRequest get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30)).build();
    }

    /** The JDK's client, trusting the test certificate only, asking for HTTP/2. */
    private static HttpClient tlsClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(TestCertificates.trusting(certificate))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static JsonNode json(String text) {
        return JsonMapper.shared().readTree(text);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static Logger accessLogger() {
        return (Logger) LoggerFactory.getLogger(AccessLog.LOGGER_NAME);
    }

    /** The first access log line (of either application) that matches, waiting up to 5 seconds for it. */
    private static String awaitAccessLine(String regex) {
        Pattern pattern = Pattern.compile(regex);
        String[] found = new String[1];
        await("an access log line matching " + regex).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            synchronized (accessLog) {
                for (ILoggingEvent event : accessLog.list) {
                    if (pattern.matcher(event.getFormattedMessage()).find()) {
                        found[0] = event.getFormattedMessage();
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }

    /** What curl said: the body, {@code %{http_version}}, {@code %{http_code}} and its standard error. */
    record Curl(String body, String version, int status, String stderr) {
    }

    /** Runs curl silently (errors shown) with these arguments, for at most a minute; the body to a file, the version and status to stdout. */
    private static Curl curl(String... args) throws IOException, InterruptedException {
        String curl = Executables.find("curl");
        assumeTrue(curl != null, "curl is not installed, so the HTTP/2 curl tests are skipped");
        assumeTrue(curlSpeaksHttp2(curl), "this curl was built without HTTP/2 (nghttp2), so the HTTP/2 curl tests are skipped");
        Path body = Files.createTempFile(work, "body", ".out");
        Path stderr = Files.createTempFile(work, "curl", ".err");
        List<String> command = new ArrayList<>(List.of(curl, "-sS", "--max-time", "50", "-o", body.toString(), "-w", "%{http_version} %{http_code}"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        String written = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("curl did not finish within a minute: " + command);
        }
        String errors = Files.readString(stderr);
        assertThat(process.exitValue()).as("curl's exit status; %s; its standard error:%n%s", command, errors).isZero();
        String[] versionAndStatus = written.split(" ");
        return new Curl(Files.readString(body, StandardCharsets.UTF_8), versionAndStatus[0], Integer.parseInt(versionAndStatus[1]), errors);
    }

    private static Boolean curlHttp2;

    /** Whether {@code curl -V} lists the HTTP2 feature; asked once. */
    private static synchronized boolean curlSpeaksHttp2(String curl) throws IOException, InterruptedException {
        if (curlHttp2 == null) {
            Process version = new ProcessBuilder(curl, "-V").redirectErrorStream(true).start();
            String features = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            version.waitFor(10, TimeUnit.SECONDS);
            curlHttp2 = features.lines().anyMatch(line -> line.startsWith("Features:") && line.contains(" HTTP2"));
        }
        return curlHttp2;
    }
}
