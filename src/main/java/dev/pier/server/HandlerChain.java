package dev.pier.server;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.FilteredHandlers;
import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpException;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.net.InetSocketAddress;
import java.util.List;
import lombok.extern.slf4j.Slf4j;

/** The handlers in order; picks the one that answers a request and turns its failures into statuses. */
@Slf4j
final class HandlerChain {

    /**
     * A handler's response, and what it threw when the response is the 500 standing in for it.
     *
     * @param failure the handler's exception; {@code null} when it answered (an {@code HttpException} is an answer)
     */
    record Answer(HttpResponse response, Throwable failure) {
    }

    /** Replaced whole by a reload; a request reads it once, in {@link #select}, and keeps the handler it picked. */
    private volatile HttpHandler[] handlers;
    private final ServerStats stats;

    HandlerChain(List<? extends HttpHandler> handlers, ServerStats stats) {
        this.handlers = handlers.toArray(HttpHandler[]::new);
        this.stats = stats;
    }

    /** From the next request on, these handlers; requests already past {@link #select} finish with the ones they picked. */
    void replace(List<? extends HttpHandler> replacement) {
        handlers = replacement.toArray(HttpHandler[]::new);
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

    /**
     * Runs a handler. Whatever it throws becomes a response, so neither a worker nor an event loop
     * sees a handler's failure, with one exception: a {@link VirtualMachineError} other than a
     * stack overflow (out of memory, an internal error) is the JVM's failure, not the request's,
     * and goes to the caller to report.
     */
    Answer invoke(HttpHandler handler, HttpRequest request, InetSocketAddress peer) {
        try {
            HttpResponse response = FilteredHandlers.handle(handler, request, peer);
            if (response == null) {
                throw new IllegalStateException(handler.getClass().getName() + " returned no response");
            }
            return new Answer(response, null);
        } catch (HttpException e) {
            return new Answer(ErrorResponses.of(e.status(), e.getMessage(), request), null);
        } catch (StackOverflowError e) {
            return failed(handler, request, e);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            return failed(handler, request, e);
        }
    }

    /** A handler that failed unexpectedly may have left anything half done: answer 500 and close. */
    Answer failed(HttpHandler handler, HttpRequest request, Throwable failure) {
        stats.handlerFailed();
        log.error("Handler {} failed on {}", handler == null ? "selection" : handler.getClass().getName(), request, failure);
        return new Answer(closing(ErrorResponses.of(500, "The server could not complete the request.", request)), failure);
    }

    /** The response with {@code Connection: close}: after it the stream position is unknown. */
    static HttpResponse closing(HttpResponse response) {
        return response.withHeader("Connection", "close");
    }
}
