package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.files.DocRoot;
import dev.pier.files.StaticFileHandler;
import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpException;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an {@link ExchangeObserver} hears, one exchange per request, and the counters kept beside
 * it: requests in flight and event-loop lag.
 */
@Timeout(20)
class ExchangeObserverOverSocketTest {

    private static final int LARGE = 16 * 1024 * 1024;

    @TempDir
    Path root;

    private final BlockingQueue<Exchange> exchanges = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    private HttpServer server;

    /** {@code /boom} throws, {@code /teapot} throws an HttpException, {@code /wait} blocks until released, {@code /stall} holds the loop. */
    private final HttpHandler handlers = new HttpHandler() {
        @Override
        public boolean accepts(HttpRequest request) {
            return List.of("/boom", "/teapot", "/wait").contains(request.path());
        }

        @Override
        public HttpResponse handle(HttpRequest request) throws Exception {
            switch (request.path()) {
                case "/boom" -> throw new IllegalStateException("kaboom");
                case "/teapot" -> throw new HttpException(418, "short and stout");
                default -> {
                    entered.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    return HttpResponse.status(200).body("done").build();
                }
            }
        }
    };

    private final HttpHandler stall = new HttpHandler() {
        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/stall");
        }

        @Override
        public boolean isBlocking() {
            return false;
        }

        @Override
        public HttpResponse handle(HttpRequest request) throws InterruptedException {
            Thread.sleep(1200);
            return HttpResponse.status(200).body("late").build();
        }
    };

    private void start() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.write(root.resolve("large.bin"), new byte[LARGE]);
        List<HttpHandler> chain = new ArrayList<>(List.of(handlers, stall));
        chain.add(new StaticFileHandler(new DocRoot(root, false)));
        server = new HttpServer(ServerSettings.defaults(0).withEventLoops(1).withTimeouts(RunningServer.RELAXED), chain, error -> {
        }, exchanges::add);
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void whenAFileIsServedThenOneCompletedExchangeWithItsHandlerSizeAndDuration() throws Exception {
        start();
        try (RawClient client = RawClient.connect(server.port())) {
            assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
        }

        Exchange exchange = next();
        assertThat(exchange.request().path()).isEqualTo("/index.html");
        assertThat(exchange.handler()).isInstanceOf(StaticFileHandler.class);
        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.headBytes()).isGreaterThan(50);
        assertThat(exchange.bodyBytesSent()).isEqualTo("<h1>home</h1>".length());
        assertThat(exchange.bytesSent()).isEqualTo(exchange.headBytes() + "<h1>home</h1>".length());
        assertThat(exchange.completed()).isTrue();
        assertThat(exchange.failure()).isNull();
        assertThat(exchange.remoteAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(exchange.durationNanos()).as("timed to the nanosecond, not the loop turn").isPositive();
        assertThat(exchanges).isEmpty();
    }

    @Test
    void whenBytesAreRefusedBeforeTheyMakeARequestThenTheExchangeHasNoRequestNorHandler() throws Exception {
        start();
        try (RawClient client = RawClient.connect(server.port())) {
            assertThat(client.send("BAD\r\n\r\n").read().status()).isEqualTo(400);
        }

        Exchange exchange = next();
        assertThat(exchange.request()).isNull();
        assertThat(exchange.handler()).isNull();
        assertThat(exchange.status()).isEqualTo(400);
        assertThat(exchange.completed()).isTrue();
    }

    @Test
    void whenAHandlerFailsThenTheExchangeCarriesItsException() throws Exception {
        start();
        try (RawClient client = RawClient.connect(server.port())) {
            assertThat(client.send(RawClient.get("/boom")).read().status()).isEqualTo(500);
        }
        try (RawClient client = RawClient.connect(server.port())) {
            assertThat(client.send(RawClient.get("/teapot")).read().status()).isEqualTo(418);
        }

        Exchange failed = next();
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.handler()).isSameAs(handlers);
        assertThat(failed.failure()).isInstanceOf(IllegalStateException.class).hasMessage("kaboom");
        Exchange answered = next();
        assertThat(answered.status()).isEqualTo(418);
        assertThat(answered.failure()).as("an HttpException is an answer, not a failure").isNull();
    }

    @Test
    void whenARequestWaitsForItsHandlerThenItIsInFlightUntilAnswered() throws Exception {
        start();
        try (RawClient client = RawClient.connect(server.port())) {
            client.send(RawClient.get("/wait"));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(server.stats().requestsInFlight()).isEqualTo(1);

            release.countDown();
            assertThat(client.read().status()).isEqualTo(200);
        }
        assertThat(next().status()).isEqualTo(200);
        assertThat(server.stats().requestsInFlight()).isZero();
    }

    /** A connection in HANDLE does not read, so it learns of the reset only when it writes the answer. */
    @Test
    void whenTheClientLeavesWhileItsHandlerRunsThenTheRequestEndsWhenTheAnswerCannotBeSent() throws Exception {
        start();
        try (RawClient client = RawClient.connect(server.port())) {
            client.send(RawClient.get("/wait"));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            client.socket().setSoLinger(true, 0);
        }
        assertThat(server.stats().requestsInFlight()).isEqualTo(1);

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().activeConnections() == 0);
        assertThat(server.stats().requestsInFlight()).isZero();
        assertThat(next().completed()).isFalse();
    }

    @Test
    void whenTheClientResetsMidResponseThenTheExchangeIsIncomplete() throws Exception {
        start();
        RawClient.resetAfterFirstBytes(server.port(), "/large.bin");

        Exchange exchange = next();
        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.completed()).isFalse();
        // What was written, not what was to be: the client took only the first bytes before its reset.
        assertThat(exchange.bytesSent()).isGreaterThan(exchange.headBytes()).isLessThan(exchange.headBytes() + LARGE);
        assertThat(exchange.bodyBytesSent()).isEqualTo(exchange.bytesSent() - exchange.headBytes());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().requestsInFlight() == 0);
    }

    @Test
    void whenNothingHappensThenEachLoopStillProbesItsLagOnceASecondAndFindsNone() throws Exception {
        start();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().eventLoopLagProbes() >= 2);
        assertThat(server.stats().eventLoopLagNanos()).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    void whenAHandlerHoldsTheLoopThenTheLagProbeSeesIt() throws Exception {
        start();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().eventLoopLagProbes() >= 1);
        try (RawClient client = RawClient.connect(server.port())) {
            assertThat(client.send(RawClient.get("/stall")).read().status()).isEqualTo(200);
        }
        // The probe falls due while the loop sleeps 1.2 s, so it runs at least 0.2 s late.
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().eventLoopLagTotalNanos() >= TimeUnit.MILLISECONDS.toNanos(200));
    }

    private Exchange next() throws InterruptedException {
        Exchange exchange = exchanges.poll(5, TimeUnit.SECONDS);
        assertThat(exchange).as("an exchange").isNotNull();
        return exchange;
    }
}
