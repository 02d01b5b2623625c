package dev.pier.server;

/**
 * Told of every exchange when it ends: its response written, or its connection lost. Runs on the
 * event loop, once per request, so it must be quick and must never block (hand the work to a
 * queue, as an asynchronous log appender does).
 */
@FunctionalInterface
public interface ExchangeObserver {

    ExchangeObserver NONE = exchange -> {
    };

    void exchangeEnded(Exchange exchange);
}
