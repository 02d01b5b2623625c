package dev.pier.server;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import lombok.extern.slf4j.Slf4j;

/**
 * Decides where a request is handled: on the event loop for a non-blocking handler, on the
 * bounded worker pool for a blocking one, whose answer returns to the connection's loop.
 */
@Slf4j
final class Dispatcher {

    private final HandlerChain chain;
    private final ExecutorService workers;

    Dispatcher(HandlerChain chain, ExecutorService workers) {
        this.chain = chain;
        this.workers = workers;
    }

    /** Called on the connection's loop; answers through {@link Connection#respond}, now or later. */
    void dispatch(Connection connection, HttpRequest request) {
        HttpHandler handler;
        try {
            handler = chain.select(request);
        } catch (RuntimeException | StackOverflowError e) {
            log.error("Choosing a handler for {} failed", request, e);
            connection.respond(request, ErrorResponses.of(500, "The server could not complete the request.", request));
            return;
        }
        if (handler == null) {
            connection.respond(request, ErrorResponses.of(404, "No handler for this path.", request));
        } else if (!handler.isBlocking()) {
            connection.respond(request, HandlerChain.invoke(handler, request));
        } else {
            connection.awaitResponse();
            try {
                workers.execute(() -> {
                    HttpResponse response = HandlerChain.invoke(handler, request);
                    connection.loop().execute(() -> connection.respond(request, response));
                });
            } catch (RejectedExecutionException e) {
                connection.respond(request, ErrorResponses.of(503, "The server is too busy; try again shortly.", request));
            }
        }
    }
}
