package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.server.HttpServer;
import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import dev.pier.server.ServerSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The real server on an ephemeral loopback port with only a static file handler, built from the
 * given settings as the application would build it; closing it fails the test if an event loop died.
 */
final class FileServer implements AutoCloseable {

    private static final ServerSettings.Timeouts RELAXED = new ServerSettings.Timeouts(
            Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));

    private final HttpServer server;
    private final StaticFileHandler handler;
    private final Queue<Throwable> fatalErrors = new ConcurrentLinkedQueue<>();

    private FileServer(Path root, boolean serveHiddenFiles, StaticFileSettings settings, ServerSettings.Connections connections) throws IOException {
        this.handler = new StaticFileHandler(new DocRoot(root, serveHiddenFiles), settings);
        this.server = new HttpServer(ServerSettings.defaults(0).withTimeouts(RELAXED).withConnections(connections), List.of(handler), fatalErrors::add);
        server.start();
    }

    static FileServer start(Path root, StaticFileSettings settings) throws IOException {
        return new FileServer(root, false, settings, ServerSettings.Connections.DEFAULTS);
    }

    static FileServer start(Path root, boolean serveHiddenFiles, StaticFileSettings settings) throws IOException {
        return new FileServer(root, serveHiddenFiles, settings, ServerSettings.Connections.DEFAULTS);
    }

    static FileServer start(Path root, StaticFileSettings settings, ServerSettings.Connections connections) throws IOException {
        return new FileServer(root, false, settings, connections);
    }

    StaticFileHandler handler() {
        return handler;
    }

    int port() {
        return server.port();
    }

    RawClient connect() throws IOException {
        return RawClient.connect(port());
    }

    /** One request on a connection of its own: the request line and these header lines ("Name: value"). */
    RawResponse exchange(String method, String target, String... headers) throws IOException {
        try (RawClient client = connect()) {
            client.send(request(method, target, headers));
            return method.equals("HEAD") ? client.readHead() : client.read();
        }
    }

    RawResponse get(String target, String... headers) throws IOException {
        return exchange("GET", target, headers);
    }

    static String request(String method, String target, String... headers) {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    @Override
    public void close() {
        server.stop();
        assertThat(fatalErrors).as("errors that killed an event loop").isEmpty();
    }
}
