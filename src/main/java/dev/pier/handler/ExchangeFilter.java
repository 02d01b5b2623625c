package dev.pier.handler;

/**
 * Runs around every exchange a handler takes, whichever handler it is (routes, Actuator, static
 * files, your own), as a servlet {@code Filter} or WebFlux {@code WebFilter} does. Declared as a
 * bean, in {@code @Order} (the first outermost). A filter may look at the request, answer it
 * itself ({@link HttpExchange#respond}) instead of going on, or go on with a wrapped exchange
 * ({@link ForwardingExchange}) that changes the answer on its way out, such as adding a header.
 *
 * <p>A filter runs where its handler runs: on the event loop for a non-blocking handler, where it
 * must not block, on a worker for a blocking one. Around a handler that returns a whole response
 * (an {@link HttpHandler} that is not streaming) the exchange is answered before {@link
 * Chain#proceed} returns, so a filter sees the answer within its call; a streaming handler may
 * answer later, from another thread.
 */
@FunctionalInterface
public interface ExchangeFilter {

    /** What comes next: the following filter, in the end the handler. */
    @FunctionalInterface
    interface Chain {

        void proceed(HttpExchange exchange) throws Exception;
    }

    void filter(HttpExchange exchange, Chain chain) throws Exception;
}
