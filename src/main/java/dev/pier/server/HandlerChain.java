package dev.pier.server;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpException;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.util.List;
import lombok.extern.slf4j.Slf4j;

/** The handlers in order; picks the one that answers a request and turns its failures into statuses. */
@Slf4j
final class HandlerChain {

    private final HttpHandler[] handlers;

    HandlerChain(List<? extends HttpHandler> handlers) {
        this.handlers = handlers.toArray(HttpHandler[]::new);
    }

    /** The first handler that accepts the request, or {@code null} when none does. */
    HttpHandler select(HttpRequest request) {
        for (HttpHandler handler : handlers) {
            if (handler.accepts(request)) {
                return handler;
            }
        }
        return null;
    }

    /** Runs a handler; never throws, so neither a worker nor an event loop sees a handler's failure. */
    static HttpResponse invoke(HttpHandler handler, HttpRequest request) {
        try {
            HttpResponse response = handler.handle(request);
            if (response == null) {
                throw new IllegalStateException(handler.getClass().getName() + " returned no response");
            }
            return response;
        } catch (HttpException e) {
            return ErrorResponses.of(e.status(), e.getMessage(), request);
        } catch (Exception | StackOverflowError e) {
            log.error("Handler {} failed on {}", handler.getClass().getName(), request, e);
            return ErrorResponses.of(500, "The server could not complete the request.", request);
        }
    }
}
