package dev.pier.server;

import java.net.InetSocketAddress;

/**
 * What the connections of one listening socket share: where their requests go, the count a
 * graceful shutdown waits on, the server's counters, who hears of each exchange, TLS
 * ({@code null} for plain HTTP) and the cap per client address ({@code null} for none).
 */
record Listening(Dispatcher dispatcher, Drain drain, ServerStats stats, ExchangeObserver observer, TlsEndpoint tls,
        ConnectionsPerAddress perAddress) {

    /**
     * A connection the acceptor counted open has closed, whichever way: every count it took is
     * given back here, so each way out calls this once. Any thread.
     */
    void closed(InetSocketAddress peer) {
        // The address's slot first: whoever sees the connection counted closed may open another at once.
        if (perAddress != null) {
            perAddress.closed(peer.getAddress());
        }
        drain.closed();
        stats.connectionClosed();
    }
}
