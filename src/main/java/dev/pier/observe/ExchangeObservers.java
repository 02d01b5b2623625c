package dev.pier.observe;

import dev.pier.server.Exchange;
import dev.pier.server.ExchangeObserver;
import java.util.List;
import lombok.extern.slf4j.Slf4j;

/** Several observers as one, each shielded from the others' failures. */
@Slf4j
public final class ExchangeObservers {

    private ExchangeObservers() {
    }

    /**
     * {@link ExchangeObserver#NONE} for none, else all of them in order. A failing observer is
     * logged and skipped: a bug in an access log or a meter must not close the connection, as a
     * failure on the event loop otherwise would.
     */
    public static ExchangeObserver of(List<? extends ExchangeObserver> observers) {
        List<ExchangeObserver> all = List.copyOf(observers);
        if (all.isEmpty()) {
            return ExchangeObserver.NONE;
        }
        if (all.size() == 1) {
            ExchangeObserver only = all.get(0);
            return exchange -> tell(only, exchange);
        }
        ExchangeObserver[] each = all.toArray(ExchangeObserver[]::new);
        return exchange -> {
            for (ExchangeObserver observer : each) {
                tell(observer, exchange);
            }
        };
    }

    /** An access log or a meter that fails must not cost the next observer its exchange, nor the connection its loop's attention. */
    private static void tell(ExchangeObserver observer, Exchange exchange) {
        try {
            observer.exchangeEnded(exchange);
        } catch (RuntimeException e) {
            log.warn("{} failed on an exchange with {}", observer, exchange.remoteAddress(), e);
        }
    }
}
