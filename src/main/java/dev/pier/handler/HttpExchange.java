package dev.pier.handler;

import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One request and its response, as a {@link StreamingHandler} sees them: the head, the body as a
 * flow, and one way to answer, whole ({@link #respond}) or streamed ({@link #stream}), now or later,
 * from any thread. Protocol-neutral: nothing here says HTTP/1.1.
 */
public interface HttpExchange {

    /** The request's method, target, version and header fields; its {@link HttpRequest#body()} is empty. */
    HttpRequest request();

    /** The connection's peer: the client, or the proxy in front of it. */
    InetSocketAddress remoteAddress();

    /**
     * The client's address: the peer's, unless the peer is one of {@code pier.trusted-proxies},
     * in which case the address those proxies forwarded ({@code Forwarded} or
     * {@code X-Forwarded-For}), as nginx's {@code $remote_addr} with its realip module. What
     * access rules, rate limits and the access log go by.
     */
    InetAddress clientAddress();

    /** The request body, as it arrives. */
    RequestBody body();

    /**
     * Answers with a whole response; any thread, once. A body the handler has not read to its end
     * is not read afterwards: the connection closes after the response.
     */
    void respond(HttpResponse response);

    /**
     * Starts a response whose body is written as it is produced: with a {@code Content-Length}
     * among the headers exactly that many bytes, otherwise chunked (HTTP/1.1) or ended by closing
     * the connection (HTTP/1.0). Any thread, once, instead of {@link #respond}; the head goes out
     * with the first write or flush.
     */
    ResponseStream stream(int status, HttpHeaders headers);

    /**
     * Hears, once, on the event loop, that the exchange ended without its response being written:
     * the client closed or reset the connection, stopped reading past {@code pier.timeouts.send},
     * or the server stopped. Called at once if that already happened.
     */
    void onAbort(Consumer<Throwable> listener);

    /**
     * Hears, once, on the event loop, that the server began a graceful shutdown: a response that
     * would go on for long (an event stream) should end now rather than hold the drain until its
     * timeout. Called at once if the shutdown already began.
     */
    void onShutdown(Runnable listener);

    /** Runs tasks on the exchange's event loop, where {@link RequestBody#read()} and its callbacks belong. */
    Executor loop();
}
