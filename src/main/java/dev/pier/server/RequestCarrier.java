package dev.pier.server;

import dev.pier.handler.HttpHandler;
import dev.pier.handler.StreamingHandler;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.net.InetSocketAddress;

/**
 * What carries one request to its handler and the answer back, for the {@link Dispatcher}: an
 * HTTP/1.1 {@link Connection}, or one stream of an HTTP/2 session. Every method runs on
 * {@link #loop()}'s thread.
 */
interface RequestCarrier {

    EventLoop loop();

    /** The connection's peer, which every request it carries is from. */
    InetSocketAddress remoteAddress();

    /** Whether the connection may answer for the request's {@code Host} or {@code :authority}: see {@link Transport#isAuthoritativeFor}. */
    boolean isAuthoritativeFor(HttpRequest request);

    /** @param failure what the handler threw when this is the 500 standing in for it, else {@code null} */
    void respond(HttpRequest request, HttpHandler handler, HttpResponse response, Throwable failure);

    /** The request, without a body, goes to a streaming handler. */
    void openStream(HttpRequest request, StreamingHandler handler);

    /** The request went to a worker; its answer comes by {@link #deliver}. */
    void awaitResponse();

    /** A worker's answer, run as a task on the loop; what fails here must not leave the request waiting. */
    void deliver(HttpRequest request, HttpHandler handler, HandlerChain.Answer answer);

    /** A streaming handler returned (on its thread) without answering: the answer is awaited, for the response timeout at most. */
    void handlerReturned(StreamedExchange exchange);

    /** A streaming handler failed after it began a streamed response, which cannot be finished. */
    void abortStream(StreamedExchange exchange);

    /** A worker died of an error the JVM may not recover from: give up on the request. */
    void abandon();
}
