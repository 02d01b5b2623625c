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
     * status; any other exception becomes a 500, logged once.
     */
    HttpResponse handle(HttpRequest request) throws Exception;

    /** Whether {@link #handle} may block; if so it runs on the worker pool, never on an event loop. */
    default boolean isBlocking() {
        return true;
    }

    /** The listener that serves this handler: the application's port unless it is for operators. */
    default Listener listener() {
        return Listener.APPLICATION;
    }
}
