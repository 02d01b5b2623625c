package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests that try to leave the document root, in every spelling a parser or a file system might
 * read as a step up: none may reveal the file that sits beside the root.
 */
@Timeout(20)
class PathTraversalOverSocketTest {

    private static final String SECRET = "TOP-SECRET-4242";

    @TempDir
    Path temp;

    private RunningServer server;

    @BeforeEach
    void startServer() throws IOException {
        Path root = Files.createDirectory(temp.resolve("root"));
        Files.writeString(root.resolve("index.html"), "<h1>public</h1>");
        Files.createDirectory(root.resolve("docs"));
        Files.writeString(temp.resolve("secret.txt"), SECRET);
        Files.createSymbolicLink(root.resolve("secret-link.txt"), temp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("outside"), temp);
        server = RunningServer.start(root);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/..%2fsecret.txt",
            "/..%2Fsecret.txt",
            "/docs/../../secret.txt",
            "/docs/%2e%2e/%2e%2e/secret.txt",
            "/%252e%252e/secret.txt",
            "/%252e%252e%252fsecret.txt",
            "//../secret.txt",
            "/./../secret.txt",
            "/.%2e/secret.txt",
            "/..\\secret.txt",
            "/%5c..%5csecret.txt",
            "/..%5csecret.txt",
            "/%2e%2e%5csecret.txt",
            "/..;/secret.txt",
            "/%c0%ae%c0%ae/secret.txt",
            "/secret.txt%00.html",
            "/%00/../secret.txt",
            "/../root/../secret.txt",
            "http://localhost/../secret.txt",
            "http://localhost/%2e%2e/secret.txt",
            "/secret-link.txt",
            "/outside/secret.txt",
            "/outside/root/../secret.txt",
    })
    void whenPathTriesToLeaveRootThenRefusedWithoutTheSecret(String target) throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n").read();

            assertThat(response.status()).as(target).isIn(400, 404);
            assertThat(response.bodyText()).doesNotContain(SECRET);
            assertThat(trailingBytes(client)).doesNotContain(SECRET);
        }
    }

    /** Whatever else arrives before the server closes or falls silent: a smuggled second response, say. */
    private static String trailingBytes(RawClient client) throws IOException {
        StringBuilder rest = new StringBuilder();
        byte[] chunk = new byte[4096];
        client.socket().setSoTimeout(100);
        try {
            int count;
            while ((count = client.readSome(chunk)) > 0) {
                rest.append(new String(chunk, 0, count, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException | EOFException | SocketException e) {
            // Silence or a closed connection: nothing more came.
        }
        return rest.toString();
    }
}
