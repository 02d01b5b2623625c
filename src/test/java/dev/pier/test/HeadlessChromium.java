package dev.pier.test;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Chromium headless on {@code about:blank}, driven over the DevTools protocol: for tests that only
 * the page itself can answer (an EventSource's events, a navigation's {@code nextHopProtocol}).
 * Closing it ends the browser and every process it started.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final DevTools devTools;

    private HeadlessChromium(Process process, DevTools devTools) {
        this.process = process;
        this.devTools = devTools;
    }

    /**
     * @param browser the executable ({@code dev.pier.Executables.chromium()})
     * @param profile a folder for the browser's profile, under the test's temporary folder
     * @param flags more command-line flags, such as {@code --ignore-certificate-errors}
     */
    public static HeadlessChromium start(String browser, Path profile, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of(browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(profile), "--remote-debugging-port=0"));
        command.addAll(List.of(flags));
        command.add("about:blank");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            return new HeadlessChromium(process, DevTools.open(pageTarget(process)));
        } catch (Exception | AssertionError e) {
            kill(process);
            throw e;
        }
    }

    /** Calls a DevTools method on the page and returns its result; fails the test on a DevTools error. */
    public JsonNode call(String method, ObjectNode params) throws Exception {
        return devTools.call(method, params);
    }

    /** The page target's DevTools WebSocket address, from the browser's address Chromium logs. */
    private static String pageTarget(Process chromium) throws Exception {
        String browserSocket = null;
        BufferedReader log = new BufferedReader(new InputStreamReader(chromium.getErrorStream(), StandardCharsets.UTF_8));
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
                log.transferTo(java.io.Writer.nullWriter());
                chromium.getErrorStream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // Chromium ended.
            }
        }, "chromium-log-drainer");
        drainer.setDaemon(true);
        drainer.start();
        URI list = URI.create(browserSocket.replaceFirst("^ws://([^/]+)/.*", "http://$1/json/list"));
        HttpResponse<String> targets = HttpClient.newHttpClient().send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode target : JsonMapper.shared().readTree(targets.body())) {
            if (target.get("type").asString().equals("page")) {
                return target.get("webSocketDebuggerUrl").asString();
            }
        }
        throw new IllegalStateException("Chromium has no page target: " + targets.body());
    }

    @Override
    public void close() throws InterruptedException {
        devTools.close();
        kill(process);
    }

    private static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** A minimal DevTools protocol client: one call at a time, answers matched by id. */
    private static final class DevTools implements WebSocket.Listener {

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
            JsonNode reply = answer.get(30, TimeUnit.SECONDS);
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

        void close() {
            socket.abort();
        }
    }
}
