package dev.pier.handler;

import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;

/**
 * Answers requests. Register implementations as Spring beans; Pier offers each request to them in
 * {@code @Order}, and the first that {@linkplain #accepts accepts} it answers. The static file
 * handler comes last and takes whatever no other handler wanted.
 *
 * <p>A handler is {@linkplain #isBlocking blocking} by default and runs on Pier's bounded worker
 * pool, so it may call databases or sleep. One that never blocks may say so and runs on the event
 * loop itself, saving two thread hand-offs.
 */
public interface HttpHandler {

    /**
     * Whether this handler answers the request. Runs on the event loop for every request that
     * reaches it, so it must be cheap and must not block: look at the method and path only.
     */
    boolean accepts(HttpRequest request);

    /**
     * Answers a request this handler accepted. An {@link dev.pier.http.HttpException} becomes its
     * status; any other exception becomes a 500, logged once, and the connection closes. A response
     * that carries {@code Connection: close} closes the connection after it is sent.
     */
    HttpResponse handle(HttpRequest request) throws Exception;

    /** Whether {@link #handle} may block; if so it runs on the worker pool, never on an event loop. */
    default boolean isBlocking() {
        return true;
    }

    /**
     * Whether {@link #handle} reads the body of this request. Asked only when a client sent
     * {@code Expect: 100-continue} and waits before uploading; the request then has its head
     * alone (an empty body). True (the default) sends {@code 100 Continue} and reads the body
     * before {@link #handle}; false calls {@link #handle} at once with the empty body, sends its
     * answer in place of {@code 100 Continue} and closes the connection, so the client never
     * uploads a body that would be thrown away.
     */
    default boolean readsBody(HttpRequest head) {
        return true;
    }

    /**
     * The most body bytes this handler takes for this request (its head alone); more get 413. The
     * default, -1, is the server's {@code pier.limits.body}. The body is held in memory whole
     * before {@link #handle}, so a handler for larger bodies is a {@link StreamingHandler}.
     */
    default long bodyLimit(HttpRequest head) {
        return -1;
    }

    /** The listener that serves this handler: the application's port unless it is for operators. */
    default Listener listener() {
        return Listener.APPLICATION;
    }

    /**
     * The route this handler answered a request by, for the {@code uri} tag of the
     * {@code http.server.requests} metric: a template of bounded cardinality such as
     * {@code /orders/{id}}, never the path itself, which would make a time series per URL. Asked
     * on the event loop once the response is written (or lost), so it must be cheap.
     *
     * <p>The default is what Spring gives a request no route matched:
     * {@link UriTemplates#REDIRECTION} for a 3xx, {@link UriTemplates#NOT_FOUND} for a 404 and
     * {@link UriTemplates#UNKNOWN} otherwise. A handler with routes of its own returns them.
     *
     * @param status the status that was sent
     */
    default String uriTemplate(HttpRequest request, int status) {
        return UriTemplates.unmatched(status);
    }
}
