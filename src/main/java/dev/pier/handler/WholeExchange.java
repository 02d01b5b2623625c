package dev.pier.handler;

import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The exchange filters see around a whole-response handler: the request with its body already
 * read, and an answer kept for the server to write when the handler returns. Nothing streams and
 * nothing can abort while it runs.
 */
final class WholeExchange implements HttpExchange {

    private final HttpRequest request;
    private final InetSocketAddress peer;
    private final RequestBody body;
    private HttpResponse response;

    WholeExchange(HttpRequest request, InetSocketAddress peer) {
        this.request = request;
        this.peer = peer;
        this.body = new WholeBody(request.body(), HttpHeaders.EMPTY);
    }

    /** Its body included, unlike a streamed exchange's. */
    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return peer;
    }

    /** The peer's address: the server knows no proxies; a filter that does says otherwise. */
    @Override
    public InetAddress clientAddress() {
        return peer.getAddress();
    }

    @Override
    public RequestBody body() {
        return body;
    }

    @Override
    public void respond(HttpResponse answer) {
        if (response != null) {
            throw new IllegalStateException("The exchange was already answered");
        }
        response = answer;
    }

    @Override
    public ResponseStream stream(int status, HttpHeaders headers) {
        throw new UnsupportedOperationException("This handler answers with whole responses; a filter around it cannot stream one");
    }

    @Override
    public void onAbort(Consumer<Throwable> listener) {
        // Answered before the handler returns: nothing is left to abort.
    }

    @Override
    public void onShutdown(Runnable listener) {
        // Likewise, a whole response holds no drain.
    }

    /** Runs tasks at once: the handler's thread is where this exchange lives. */
    @Override
    public Executor loop() {
        return Runnable::run;
    }

    HttpResponse response() {
        return response;
    }
}
