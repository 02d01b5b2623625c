package dev.pier.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.Executables;
import dev.pier.PierApplication;
import dev.pier.test.HeadlessChromium;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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

    @TempDir
    Path work;

    private ConfigurableApplicationContext context;

    @AfterEach
    void stop() {
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

        try (HeadlessChromium devTools = HeadlessChromium.start(browser, work.resolve("profile"))) {
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
    private static JsonNode waitForPage(HeadlessChromium devTools, ObjectNode evaluate) throws Exception {
        for (int attempt = 0; ; attempt++) {
            JsonNode result = devTools.call("Runtime.evaluate", evaluate);
            if (!result.has("exceptionDetails") || attempt == 20) {
                return result;
            }
            devTools.call("Runtime.evaluate", JsonMapper.shared().createObjectNode()
                    .put("expression", "new Promise(r => setTimeout(r, 100))").put("awaitPromise", true));
        }
    }
}
