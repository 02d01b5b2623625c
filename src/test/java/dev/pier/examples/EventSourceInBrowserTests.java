package dev.pier.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.Executables;
import dev.pier.PierApplication;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The clock example's server-sent events as a browser's {@code EventSource} receives them:
 * headless Chromium, driven over the DevTools protocol (a WebSocket the JDK's client speaks),
 * opens the stream from a page of the application and reports the first events it got. Skipped,
 * saying why, where Chromium is not installed ({@code .ci/run} installs Debian's).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EventSourceInBrowserTests {

    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    @TempDir
    Path work;

    private ConfigurableApplicationContext context;
    private Process chromium;

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.descendants().forEach(ProcessHandle::destroyForcibly);
            chromium.destroyForcibly();
        }
        if (context != null) {
            context.close();
        }
    }

    @Test
    void whenABrowserOpensTheClockThenItsEventSourceGetsTicksWithIncreasingIds() throws Exception {
        String browser = Executables.chromium();
        assumeTrue(browser != null, "Chromium is not installed, so the EventSource test is skipped;"
                + " install it with apt-get install -y chromium (.ci/run does) to run it");
        context = new SpringApplicationBuilder(PierApplication.class).profiles("examples").run("--server.port=0",
                "--pier.document-root=site", "--pier.event-loops=1", "--pier.worker-threads=2", "--pier.access-log.enabled=false");
        String origin = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");

        try (DevTools devTools = DevTools.open(startChromium(browser))) {
            devTools.call("Page.enable", JsonMapper.shared().createObjectNode());
            ObjectNode navigate = JsonMapper.shared().createObjectNode().put("url", origin + "/");
            devTools.call("Page.navigate", navigate);
            ObjectNode evaluate = JsonMapper.shared().createObjectNode()
                    .put("expression", """
                            new Promise((resolve, reject) => {
                              const seen = [];
                              const source = new EventSource('/examples/clock');
                              source.addEventListener('tick', event => {
                                seen.push({id: event.lastEventId, data: event.data, type: event.type});
                                if (seen.length === 3) { source.close(); resolve(JSON.stringify(seen)); }
                              });
                              source.onerror = () => { if (source.readyState === EventSource.CLOSED) reject('closed'); };
                            })""")
                    .put("awaitPromise", true)
                    .put("returnByValue", true);
            JsonNode result = waitForPage(devTools, evaluate);
            JsonNode events = JsonMapper.shared().readTree(result.path("result").path("value").asString());

            assertThat(events).hasSize(3);
            assertThat(events.get(0).get("id").asString()).isEqualTo("1");
            assertThat(events.get(1).get("id").asString()).isEqualTo("2");
            assertThat(events.get(2).get("id").asString()).isEqualTo("3");
            assertThat(events.get(0).get("type").asString()).isEqualTo("tick");
            assertThat(events.get(0).get("data").asString()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        }
    }

    /** Evaluates once the navigation has given the page an origin to open the stream from; retried while it has not. */
    private static JsonNode waitForPage(DevTools devTools, ObjectNode evaluate) throws Exception {
        for (int attempt = 0; ; attempt++) {
            JsonNode result = devTools.call("Runtime.evaluate", evaluate);
            if (!result.has("exceptionDetails") || attempt == 20) {
                return result;
            }
            devTools.call("Runtime.evaluate", JsonMapper.shared().createObjectNode()
                    .put("expression", "new Promise(r => setTimeout(r, 100))").put("awaitPromise", true));
        }
    }

    /** Chromium headless with a DevTools port of its own choosing; returns the page target's WebSocket address. */
    private String startChromium(String browser) throws Exception {
        chromium = new ProcessBuilder(browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(work, "profile"), "--remote-debugging-port=0", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String browserSocket = null;
        try (BufferedReader log = new BufferedReader(new InputStreamReader(chromium.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; browserSocket == null && (line = log.readLine()) != null; ) {
                Matcher matcher = DEVTOOLS.matcher(line);
                if (matcher.find()) {
                    browserSocket = matcher.group(1);
                }
            }
            assertThat(browserSocket).as("Chromium's DevTools address").isNotNull();
            // Keep draining its log so Chromium never blocks on a full pipe.
            Thread drainer = new Thread(() -> {
                try {
                    chromium.getErrorStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // Chromium ended.
                }
            });
            drainer.setDaemon(true);
            drainer.start();
        }
        URI list = URI.create(browserSocket.replaceFirst("^ws://([^/]+)/.*", "http://$1/json/list"));
        HttpResponse<String> targets = HttpClient.newHttpClient().send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode target : JsonMapper.shared().readTree(targets.body())) {
            if (target.get("type").asString().equals("page")) {
                return target.get("webSocketDebuggerUrl").asString();
            }
        }
        throw new IllegalStateException("Chromium has no page target: " + targets.body());
    }

    /** A minimal DevTools protocol client: one call at a time, answers matched by id. */
    private static final class DevTools implements WebSocket.Listener, AutoCloseable {

        private final AtomicInteger ids = new AtomicInteger();
        private final ConcurrentHashMap<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
        private final StringBuilder message = new StringBuilder();
        private WebSocket socket;

        static DevTools open(String address) throws Exception {
            DevTools devTools = new DevTools();
            devTools.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(address), devTools).get(30, TimeUnit.SECONDS);
            return devTools;
        }

        JsonNode call(String method, ObjectNode params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            calls.put(id, answer);
            ObjectNode request = JsonMapper.shared().createObjectNode().put("id", id).put("method", method);
            request.set("params", params);
            socket.sendText(request.toString(), true).get(10, TimeUnit.SECONDS);
            JsonNode reply = answer.get(60, TimeUnit.SECONDS);
            assertThat(reply.has("error")).as("DevTools error for %s: %s", method, reply).isFalse();
            return reply.get("result");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                JsonNode reply = JsonMapper.shared().readTree(message.toString());
                message.setLength(0);
                if (reply.has("id")) {
                    CompletableFuture<JsonNode> answer = calls.remove(reply.get("id").asInt());
                    if (answer != null) {
                        answer.complete(reply);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
