package dev.pier.handler;

import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;

/**
 * A handler that takes its exchange as flows: it is called as soon as the request's head has
 * arrived, reads the body as it comes ({@link RequestBody}) and answers whole, streamed or later
 * ({@link HttpExchange}), so neither body has to fit in memory and no thread waits on an answer
 * that depends on something else.
 *
 * <p>Everything else is an {@link HttpHandler}'s: {@link #accepts} (which sees the head only),
 * {@link #isBlocking} (a blocking handler runs on a worker and may use the body's
 * {@link RequestBody#inputStream() InputStream} and the response's
 * {@link ResponseStream#outputStream() OutputStream}; a non-blocking one runs on the event loop and
 * uses the callbacks), {@link #listener}, {@link #uriTemplate}.
 */
public interface StreamingHandler extends HttpHandler {

    /**
     * Takes the exchange. It may answer before returning or later, from any thread; an exchange
     * that is never answered gets 503 after {@code pier.timeouts.response}. What it throws before
     * answering becomes the response, as for {@link HttpHandler#handle(HttpRequest)}.
     */
    void handle(HttpExchange exchange) throws Exception;

    /** The most body bytes this handler takes; more get 413. No limit unless overridden. */
    default long bodyLimit(HttpRequest head) {
        return Long.MAX_VALUE;
    }

    /** Never called: the server calls {@link #handle(HttpExchange)}. */
    @Override
    default HttpResponse handle(HttpRequest request) {
        throw new UnsupportedOperationException("A StreamingHandler answers through handle(HttpExchange)");
    }

    /** A streaming handler asks for the body itself; {@code 100 Continue} goes out when it first does. */
    @Override
    default boolean readsBody(HttpRequest head) {
        return true;
    }
}
