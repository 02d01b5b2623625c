package dev.pier.rules;

import dev.pier.handler.ExchangeFilter;
import dev.pier.handler.ForwardingExchange;
import dev.pier.handler.HttpExchange;
import dev.pier.handler.TrustedProxies;
import java.net.InetAddress;

/**
 * Gives the filters and handlers after it the client's address behind trusted proxies
 * ({@code pier.trusted-proxies}) as {@link HttpExchange#clientAddress()}, as nginx's
 * {@code set_real_ip_from} does for {@code $remote_addr}. The address is found once per exchange,
 * before anything else looks at it; see {@link TrustedProxies} for the walk.
 */
public final class ClientAddressFilter implements ExchangeFilter {

    private final TrustedProxies proxies;

    public ClientAddressFilter(TrustedProxies proxies) {
        this.proxies = proxies;
    }

    @Override
    public void filter(HttpExchange exchange, Chain chain) throws Exception {
        InetAddress peer = exchange.clientAddress();
        InetAddress client = proxies.clientAddress(peer, exchange.request().headers());
        chain.proceed(client.equals(peer) ? exchange : new ForwardedExchange(exchange, client));
    }

    private static final class ForwardedExchange extends ForwardingExchange {

        private final InetAddress client;

        ForwardedExchange(HttpExchange delegate, InetAddress client) {
            super(delegate);
            this.client = client;
        }

        @Override
        public InetAddress clientAddress() {
            return client;
        }
    }
}
