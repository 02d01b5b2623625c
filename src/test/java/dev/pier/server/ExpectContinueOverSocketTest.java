package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.ParserLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Expect} (RFC 9110 §10.1.1): {@code 100 Continue} only when the handler chosen from the head
 * will read the body; its final answer at once, then a close, when it will not; 417 for any other
 * expectation.
 */
@Timeout(20)
class ExpectContinueOverSocketTest {

    private static final int BODY_LIMIT = 1024;

    @TempDir
    Path root;

    private RunningServer server;

    @BeforeEach
    void startServer() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        ServerSettings settings = RunningServer.settings()
                .withLimits(new ParserLimits(8192, 16384, 100, BODY_LIMIT));
        server = RunningServer.start(settings, root, new EchoBody(), new Unbothered());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void whenHandlerReadsBodiesThenContinueThenItsAnswerAndConnectionKept() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nExpect: 100-Continue\r\n\r\n");

            assertThat(client.read().statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            RawResponse response = client.send("ping").read();
            assertThat(response.bodyText()).isEqualTo("ping");
            assertThat(response.header("Connection")).isNull();
            assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void whenStaticFileGetsUploadThenMethodNotAllowedInsteadOfContinueAndClosed() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("POST /index.html HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenMissingFileGetsBodyThenNotFoundInsteadOfContinueAndClosed() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET /missing HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(404);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenClientSendsTheBodyAnywayAfterAnEarlyAnswerThenItIsDrainedNotParsed() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("POST /index.html HTTP/1.1\r\nHost: localhost\r\nContent-Length: 37\r\nExpect: 100-continue\r\n\r\n").read();
            // Looks like a request; it is the unread body and must never be answered.
            client.send(RawClient.get("/index.html"));

            assertThat(response.status()).isEqualTo(405);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenAClosingClientGetsAnEarlyAnswerThenTheServerLingersForTheBodyStillOnItsWay() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("POST /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Length: 37\r\nExpect: 100-continue\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(405);
            assertThat(client.isClosedByServer()).isTrue();

            // Closing outright would answer the body below with a reset; lingering reads it away.
            assertThat(server.stats().activeConnections()).isEqualTo(1);
            client.send("x".repeat(37));
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenBlockingHandlerIgnoresBodiesThenItAnswersFromTheHeadAndConnectionCloses() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("PUT /unbothered HTTP/1.1\r\nHost: localhost\r\nContent-Length: 500\r\nExpect: 100-continue\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(202);
            assertThat(response.bodyText()).isEqualTo("body bytes seen: 0");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void whenDeclaredBodyOverLimitThenContentTooLargeWithoutContinue() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + (BODY_LIMIT + 1)
                    + "\r\nExpect: 100-continue\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(413);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fly", "100-continue, fly", "100-continue;x=1", "200-ok"})
    void whenOtherExpectationWithBodyThenExpectationFailedAndClosed(String expectation) throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nExpect: " + expectation + "\r\n\r\n").read();

            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 417 Expectation Failed");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
        assertThat(server.stats().rejected(417)).isEqualTo(1);
    }

    @Test
    void whenOtherExpectationOnCompleteRequestThenExpectationFailedAndConnectionKept() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET /index.html HTTP/1.1\r\nHost: localhost\r\nExpect: fly\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(417);
            assertThat(response.header("Connection")).isNull();
            assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void whenHttp10ExpectsContinueThenExpectationIgnored() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /echo HTTP/1.0\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");

            // RFC 9110: a server must ignore 100-continue from HTTP/1.0, so nothing comes before the body.
            assertThat(client.staysOpenFor(200)).isTrue();
            RawResponse response = client.send("pong").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("pong");
        }
    }

    @Test
    void whenBodyArrivesWithTheHeadThenNoInterimResponse() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\nping").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("ping");
        }
    }


    /** A blocking handler that never needs the body it is sent. */
    private static final class Unbothered implements HttpHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/unbothered");
        }

        @Override
        public boolean readsBody(HttpRequest head) {
            return false;
        }

        @Override
        public HttpResponse handle(HttpRequest request) {
            return HttpResponse.status(202).body("body bytes seen: " + request.body().length).build();
        }
    }
}
