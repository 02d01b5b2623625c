package dev.pier.server;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.HttpHandler;
import dev.pier.handler.StreamingHandler;
import dev.pier.http.HttpException;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import lombok.extern.slf4j.Slf4j;

/**
 * Decides where a request is handled: on the event loop for a non-blocking handler, on the
 * bounded worker pool for a blocking one, whose answer returns to the connection's loop.
 */
@Slf4j
final class Dispatcher {

    private final HandlerChain chain;
    private final ExecutorService workers;
    private final Consumer<Throwable> onFatalError;

    /** @param onFatalError told when a worker meets an error the JVM may not recover from */
    Dispatcher(HandlerChain chain, ExecutorService workers, Consumer<Throwable> onFatalError) {
        this.chain = chain;
        this.workers = workers;
        this.onFatalError = onFatalError;
    }

    /** Called on the carrier's loop; answers through {@link RequestCarrier#respond}, now or later. */
    void dispatch(RequestCarrier connection, HttpRequest request) {
        HttpHandler handler;
        try {
            handler = handlerFor(connection, request);
        } catch (RuntimeException | StackOverflowError e) {
            HandlerChain.Answer failed = chain.failed(null, request, e);
            connection.respond(request, null, failed.response(), failed.failure());
            return;
        }
        if (handler == null) {
            connection.respond(request, null, ErrorResponses.of(404, "No handler for this path.", request), null);
        } else if (handler instanceof StreamingHandler streaming) {
            connection.openStream(request, streaming);
        } else if (!handler.isBlocking()) {
            HandlerChain.Answer answer = chain.invoke(handler, request, connection.remoteAddress());
            connection.respond(request, handler, answer.response(), answer.failure());
        } else {
            connection.awaitResponse();
            try {
                workers.execute(() -> {
                    HandlerChain.Answer answer;
                    try {
                        answer = chain.invoke(handler, request, connection.remoteAddress());
                    } catch (VirtualMachineError e) {
                        // The worker dies of it (the pool replaces it); the connection must not wait forever.
                        try {
                            onFatalError.accept(e);
                        } finally {
                            connection.loop().execute(connection::abandon);
                        }
                        throw e;
                    }
                    connection.loop().execute(() -> connection.deliver(request, handler, answer));
                });
            } catch (RejectedExecutionException e) {
                connection.respond(request, handler, ErrorResponses.of(503, "The server is too busy; try again shortly.", request), null);
            }
        }
    }

    /**
     * Runs a streaming handler with its exchange, on the loop or a worker as it says. What it
     * throws before answering becomes the answer; after it began a streamed response, the
     * connection closes, the response being cut short. Returning without an answer is allowed:
     * the connection then waits for one, for the response timeout at most.
     */
    void dispatchStreaming(RequestCarrier connection, StreamedExchange exchange) {
        StreamingHandler handler = exchange.handler();
        Runnable run = () -> {
            try {
                handler.handle(exchange);
            } catch (HttpException e) {
                failedWith(connection, exchange, ErrorResponses.of(e.status(), e.getMessage(), exchange.request()), null);
                return;
            } catch (VirtualMachineError e) {
                if (e instanceof StackOverflowError overflow) {
                    failedWith(connection, exchange, overflow);
                    return;
                }
                try {
                    onFatalError.accept(e);
                } finally {
                    connection.loop().execute(connection::abandon);
                }
                throw e;
            } catch (Throwable e) {
                failedWith(connection, exchange, e);
                return;
            }
            connection.loop().execute(() -> connection.handlerReturned(exchange));
        };
        if (!handler.isBlocking()) {
            run.run();
            return;
        }
        try {
            workers.execute(run);
        } catch (RejectedExecutionException e) {
            exchange.respondIfUnanswered(ErrorResponses.of(503, "The server is too busy; try again shortly.", exchange.request()), null);
        }
    }

    private void failedWith(RequestCarrier connection, StreamedExchange exchange, Throwable failure) {
        HandlerChain.Answer failed = chain.failed(exchange.handler(), exchange.request(), failure);
        failedWith(connection, exchange, failed.response(), failed.failure());
    }

    private static void failedWith(RequestCarrier connection, StreamedExchange exchange, HttpResponse response, Throwable failure) {
        if (!exchange.respondIfUnanswered(HandlerChain.closing(response), failure)) {
            connection.loop().execute(() -> connection.abortStream(exchange));
        }
    }

    /**
     * The handler that answers the request: the chain's, unless the connection may not answer for
     * the request's host at all (TLS whose SNI chose another certificate), which is the one place
     * both protocols check it.
     */
    private HttpHandler handlerFor(RequestCarrier connection, HttpRequest request) {
        if (!connection.isAuthoritativeFor(request)) {
            return MisdirectedRequestHandler.INSTANCE;
        }
        return chain.select(request);
    }

    /** The handler that would answer this head-only request; {@code null} when none would, or choosing failed (left to {@link #dispatch}). */
    HttpHandler select(RequestCarrier connection, HttpRequest head) {
        try {
            return handlerFor(connection, head);
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    /**
     * Whether the handler that would answer this head-only request wants its body: asked for a
     * client waiting for {@code 100 Continue}. No handler (a 404) does not; a failing choice is
     * left to {@link #dispatch} after the body, where it becomes a 500.
     */
    boolean readsBody(RequestCarrier connection, HttpRequest head) {
        try {
            HttpHandler handler = handlerFor(connection, head);
            return handler != null && handler.readsBody(head);
        } catch (RuntimeException | StackOverflowError e) {
            return true;
        }
    }
}
