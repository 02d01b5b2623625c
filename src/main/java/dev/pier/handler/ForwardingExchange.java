package dev.pier.handler;

import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * An exchange that hands everything to another, for an {@link ExchangeFilter} to override what
 * it changes, as a servlet filter subclasses {@code HttpServletResponseWrapper}.
 */
public class ForwardingExchange implements HttpExchange {

    private final HttpExchange delegate;

    public ForwardingExchange(HttpExchange delegate) {
        this.delegate = delegate;
    }

    @Override
    public HttpRequest request() {
        return delegate.request();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return delegate.remoteAddress();
    }

    @Override
    public InetAddress clientAddress() {
        return delegate.clientAddress();
    }

    @Override
    public RequestBody body() {
        return delegate.body();
    }

    @Override
    public void respond(HttpResponse response) {
        delegate.respond(response);
    }

    @Override
    public ResponseStream stream(int status, HttpHeaders headers) {
        return delegate.stream(status, headers);
    }

    @Override
    public void onAbort(Consumer<Throwable> listener) {
        delegate.onAbort(listener);
    }

    @Override
    public void onShutdown(Runnable listener) {
        delegate.onShutdown(listener);
    }

    @Override
    public Executor loop() {
        return delegate.loop();
    }
}
