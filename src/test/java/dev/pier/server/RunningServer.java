package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.files.DocRoot;
import dev.pier.files.StaticFileHandler;
import dev.pier.handler.HttpHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A started {@link HttpServer} on an ephemeral port of the loopback interface: the given handlers
 * first, then the static files of a document root, as the application wires them. Closing it
 * stops the server and fails the test if an event loop died meanwhile.
 */
final class RunningServer implements AutoCloseable {

    /** Generous everywhere, so only tests about timeouts ever meet one. */
    static final ServerSettings.Timeouts RELAXED = new ServerSettings.Timeouts(
            Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));

    private final HttpServer server;
    private final Queue<Throwable> fatalErrors = new ConcurrentLinkedQueue<>();

    private RunningServer(ServerSettings settings, Path docRoot, List<HttpHandler> handlers) throws IOException {
        List<HttpHandler> chain = new ArrayList<>(handlers);
        chain.add(new StaticFileHandler(new DocRoot(docRoot, false)));
        this.server = new HttpServer(settings, chain, fatalErrors::add);
        server.start();
    }

    /** An ephemeral port with timeouts no socket test runs into by accident; the start for settings of a test's own. */
    static ServerSettings settings() {
        return ServerSettings.defaults(0).withTimeouts(RELAXED);
    }

    static RunningServer start(Path docRoot, HttpHandler... handlers) throws IOException {
        return start(settings(), docRoot, handlers);
    }

    static RunningServer start(ServerSettings settings, Path docRoot, HttpHandler... handlers) throws IOException {
        return new RunningServer(settings, docRoot, List.of(handlers));
    }

    int port() {
        return server.port();
    }

    /** The management listener's port, or -1 when the settings have none. */
    int managementPort() {
        return server.managementPort();
    }

    RawClient connect() throws IOException {
        return RawClient.connect(port());
    }

    ServerStats stats() {
        return server.stats();
    }

    /** Begins a graceful shutdown; the future completes with its result. */
    CompletableFuture<GracefulShutdownResult> shutDownGracefully() {
        CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
        server.shutDownGracefully(result::complete);
        return result;
    }

    /** Takes the fatal errors reported so far, for a test that provokes one; closing then checks for none since. */
    List<Throwable> takeFatalErrors() {
        List<Throwable> taken = new ArrayList<>();
        Throwable error;
        while ((error = fatalErrors.poll()) != null) {
            taken.add(error);
        }
        return taken;
    }

    @Override
    public void close() {
        server.stop();
        assertThat(fatalErrors).as("errors that killed an event loop").isEmpty();
    }
}
