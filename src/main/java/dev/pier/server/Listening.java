package dev.pier.server;

/**
 * What the connections of one listening socket share: where their requests go, the count a
 * graceful shutdown waits on, the server's counters, who hears of each exchange, and TLS
 * ({@code null} for plain HTTP).
 */
record Listening(Dispatcher dispatcher, Drain drain, ServerStats stats, ExchangeObserver observer, TlsEndpoint tls) {
}
