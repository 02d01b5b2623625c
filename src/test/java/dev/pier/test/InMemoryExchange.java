package dev.pier.test;

import dev.pier.handler.FilteredHandlers;
import dev.pier.handler.HttpExchange;
import dev.pier.handler.WholeBody;
import dev.pier.handler.RequestBody;
import dev.pier.handler.ResponseStream;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.ResponseBody;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * An exchange with no connection behind it, for {@link RouteTester}: the body is there whole, the
 * response is captured as a {@link TestResponse}, and the "event loop" is whichever thread calls.
 * As the server does, it drops the body of an answer to HEAD.
 */
final class InMemoryExchange implements HttpExchange {

    private final HttpRequest head;
    private final WholeBody body;
    private final JsonMapper json;
    private final AtomicBoolean answered = new AtomicBoolean();
    private final CompletableFuture<TestResponse> response = new CompletableFuture<>();

    InMemoryExchange(HttpRequest head, byte[] body, JsonMapper json) {
        this.head = head;
        this.body = new WholeBody(body, HttpHeaders.EMPTY);
        this.json = json;
    }

    /** Completes when the handler answers, from whichever thread it answers on. */
    CompletableFuture<TestResponse> response() {
        return response;
    }

    @Override
    public HttpRequest request() {
        return head;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return FilteredHandlers.NO_PEER;
    }

    /** The peer's address: the server knows no proxies; a filter that does says otherwise. */
    @Override
    public InetAddress clientAddress() {
        return FilteredHandlers.NO_PEER.getAddress();
    }

    @Override
    public RequestBody body() {
        return body;
    }

    @Override
    public void respond(HttpResponse answer) {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("The exchange for " + head + " was answered twice");
        }
        try {
            byte[] bytes = head.method() == HttpMethod.HEAD ? new byte[0] : bytesOf(answer.body());
            response.complete(new TestResponse(answer.status(), answer.headers(), bytes, json));
        } finally {
            answer.body().release();
        }
    }

    /** Routes answer whole; a streamed answer would need collecting here first. */
    @Override
    public ResponseStream stream(int status, HttpHeaders headers) {
        throw new UnsupportedOperationException("RouteTester captures whole responses; " + head + " was answered with a stream");
    }

    /** The in-memory client never leaves: the listener is never called. */
    @Override
    public void onAbort(Consumer<Throwable> listener) {
    }

    /** No server is there to shut down: the listener is never called. */
    @Override
    public void onShutdown(Runnable listener) {
    }

    @Override
    public Executor loop() {
        return Runnable::run;
    }

    private static byte[] bytesOf(ResponseBody body) {
        if (body instanceof ResponseBody.Bytes bytes) {
            ByteBuffer content = bytes.content().duplicate();
            byte[] copy = new byte[content.remaining()];
            content.get(copy);
            return copy;
        }
        if (body instanceof ResponseBody.Empty) {
            return new byte[0];
        }
        throw new UnsupportedOperationException("RouteTester reads bodies in memory, not " + body.getClass().getSimpleName());
    }
}
