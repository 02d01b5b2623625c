package dev.pier.server;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpRequest;
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

    /** Called on the connection's loop; answers through {@link Connection#respond}, now or later. */
    void dispatch(Connection connection, HttpRequest request) {
        HttpHandler handler;
        try {
            handler = chain.select(request);
        } catch (RuntimeException | StackOverflowError e) {
            HandlerChain.Answer failed = chain.failed(null, request, e);
            connection.respond(request, null, failed.response(), failed.failure());
            return;
        }
        if (handler == null) {
            connection.respond(request, null, ErrorResponses.of(404, "No handler for this path.", request), null);
        } else if (!handler.isBlocking()) {
            HandlerChain.Answer answer = chain.invoke(handler, request);
            connection.respond(request, handler, answer.response(), answer.failure());
        } else {
            connection.awaitResponse();
            try {
                workers.execute(() -> {
                    HandlerChain.Answer answer;
                    try {
                        answer = chain.invoke(handler, request);
                    } catch (VirtualMachineError e) {
                        // The worker dies of it (the pool replaces it); the connection must not wait forever.
                        try {
                            onFatalError.accept(e);
                        } finally {
                            connection.loop().execute(connection::close);
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
     * Whether the handler that would answer this head-only request wants its body: asked for a
     * client waiting for {@code 100 Continue}. No handler (a 404) does not; a failing choice is
     * left to {@link #dispatch} after the body, where it becomes a 500.
     */
    boolean readsBody(HttpRequest head) {
        try {
            HttpHandler handler = chain.select(head);
            return handler != null && handler.readsBody(head);
        } catch (RuntimeException | StackOverflowError e) {
            return true;
        }
    }
}
