package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a handler's failure costs: a 500 and that connection for what can be contained (exceptions,
 * stack overflows, other errors), a closed connection and a report to liveness for what cannot
 * (out of memory). Either way the loop and the worker pool go on serving. Each failure is tried on
 * the event loop (non-blocking handler) and on a worker (blocking).
 */
@Timeout(20)
class HandlerFailuresOverSocketTest {

    @TempDir
    Path root;

    private RunningServer server;

    @BeforeEach
    void startServer() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        server = RunningServer.start(root,
                new Failing("/overflow", HandlerFailuresOverSocketTest::overflow),
                new Failing("/assertion", () -> {
                    throw new AssertionError("a broken invariant");
                }),
                new Failing("/linkage", () -> {
                    throw new NoClassDefFoundError("dev/pier/Missing");
                }),
                new Failing("/oom", () -> {
                    throw new OutOfMemoryError("Java heap space (thrown by the test)");
                }));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/overflow", "/assertion", "/linkage", "/overflow?blocking", "/assertion?blocking", "/linkage?blocking"})
    void whenHandlerThrowsAnErrorItCanSurviveThenServerErrorAndCloseAndTheServerGoesOn(String target) throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(RawClient.get(target)).read();

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
        assertServes();
        assertThat(server.stats().handlerFailures()).isEqualTo(1);
        assertThat(server.stats().unexpectedFailures()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oom", "/oom?blocking"})
    void whenHandlerRunsOutOfMemoryThenConnectionClosedAndLivenessToldAndTheServerGoesOn(String target) throws IOException {
        try (RawClient client = server.connect()) {
            client.send(RawClient.get(target));

            assertThat(client.isClosedByServer()).isTrue();
        }
        // Reported before the close, by the loop or the worker thread.
        assertThat(server.takeFatalErrors()).singleElement().isInstanceOf(OutOfMemoryError.class);
        assertServes();
    }

    private void assertServes() throws IOException {
        for (int i = 0; i < 4; i++) {
            try (RawClient client = server.connect()) {
                assertThat(client.send(RawClient.get("/index.html")).read().bodyText()).isEqualTo("<h1>home</h1>");
            }
        }
    }

    private static HttpResponse overflow() {
        return overflow(0);
    }

    private static HttpResponse overflow(int depth) {
        HttpResponse deeper = overflow(depth + 1);
        return depth < 0 ? null : deeper;
    }

    /** Fails at one path; blocking (on a worker) when the query says so, else on the loop. */
    private static final class Failing implements HttpHandler {

        private final String path;
        private final Supplier<HttpResponse> failure;
        private final ThreadLocal<Boolean> blocking = ThreadLocal.withInitial(() -> false);

        Failing(String path, Supplier<HttpResponse> failure) {
            this.path = path;
            this.failure = failure;
        }

        @Override
        public boolean accepts(HttpRequest request) {
            // isBlocking() is asked right after, on the same loop thread.
            blocking.set("blocking".equals(request.query()));
            return request.path().equals(path);
        }

        @Override
        public boolean isBlocking() {
            return blocking.get();
        }

        @Override
        public HttpResponse handle(HttpRequest request) {
            return failure.get();
        }
    }
}
