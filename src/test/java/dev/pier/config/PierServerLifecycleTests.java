package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.RawHttp;
import dev.pier.server.HttpServer;
import dev.pier.server.RawClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;

class PierServerLifecycleTests {

    @TempDir
    Path site;

    private ApplicationContextRunner runner;

    @BeforeEach
    void createSite() throws IOException {
        Files.writeString(site.resolve("index.html"), "<h1>temporary site</h1>");
        runner = PierContextRunner.over(site, 2);
    }

    @Test
    void whenContextClosesThenPortRefusesConnectionsAndLoopThreadsEnd() {
        Set<Thread> before = PierAutoConfigurationTests.loopThreads();
        AtomicInteger port = new AtomicInteger();
        AtomicReference<Set<Thread>> loops = new AtomicReference<>();
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            port.set(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
            assertThat(RawHttp.get(port.get(), "/").status()).isEqualTo(200);
            Set<Thread> started = PierAutoConfigurationTests.loopThreads();
            started.removeAll(before);
            assertThat(started).extracting(Thread::getName).containsExactlyInAnyOrder("pier-loop-0", "pier-loop-1");
            loops.set(started);
        });
        // The runner has closed the context.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(RawClient.isListening(port.get())).isFalse());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(loops.get()).noneMatch(Thread::isAlive));
    }

    @Test
    void whenContextClosesThenAnOpenKeepAliveConnectionIsClosed() {
        AtomicReference<RawHttp> idle = new AtomicReference<>();
        try {
            runner.run(context -> {
                RawHttp http = RawHttp.connect(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
                idle.set(http);
                assertThat(http.get("/").header("Connection")).isNotEqualToIgnoringCase("close");
            });
            // A read sees the end of the stream instead of waiting for the five-second socket timeout.
            assertThat(isClosedByServer(idle.get())).isTrue();
        } finally {
            closeQuietly(idle.get());
        }
    }

    @Test
    void whenRunningThenLifecycleReportsItAndStopsInWebServerPhase() {
        runner.run(context -> {
            PierServerLifecycle lifecycle = context.getBean(PierServerLifecycle.class);
            assertThat(lifecycle.isRunning()).isTrue();
            assertThat(lifecycle.isAutoStartup()).isTrue();
            assertThat(lifecycle.getPhase()).isEqualTo(SmartLifecycle.DEFAULT_PHASE - 2048);
            lifecycle.stop();
            assertThat(lifecycle.isRunning()).isFalse();
            assertThat(context.getBean(HttpServer.class).isRunning()).isFalse();
            // A second stop, as the context's own at close, is harmless.
            lifecycle.stop();
        });
    }

    private static boolean isClosedByServer(RawHttp http) {
        try {
            return http.isClosedByServer();
        } catch (IOException e) {
            // A reset is a close too.
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    private static void closeQuietly(RawHttp http) {
        if (http != null) {
            try {
                http.close();
            } catch (IOException ignored) {
                // Only the test's own socket.
            }
        }
    }
}
