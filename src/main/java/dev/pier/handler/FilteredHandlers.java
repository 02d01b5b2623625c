package dev.pier.handler;

import dev.pier.http.HttpException;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/** Puts {@link ExchangeFilter}s around a handler, keeping what the server asks of it before it runs. */
public final class FilteredHandlers {

    /** The peer of a request handled without a connection (a handler calling another, a test): the loopback address, port 0. */
    public static final InetSocketAddress NO_PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private FilteredHandlers() {
    }

    /** The handler with the filters around it, the first outermost; the handler itself when there are none. */
    public static HttpHandler wrap(HttpHandler handler, List<ExchangeFilter> filters) {
        if (filters.isEmpty()) {
            return handler;
        }
        if (handler instanceof StreamingHandler streaming) {
            return new Streaming(streaming, chain(filters, streaming::handle));
        }
        return new Whole(handler, chain(filters, exchange -> exchange.respond(answer(handler, exchange.request()))));
    }

    /**
     * Runs a handler for a request from {@code peer}: a whole-response handler with filters around
     * it gets an exchange that knows the peer ({@link HttpExchange#remoteAddress()}), which
     * {@link HttpHandler#handle} alone cannot carry. What the server calls.
     */
    public static HttpResponse handle(HttpHandler handler, HttpRequest request, InetSocketAddress peer) throws Exception {
        return handler instanceof Whole whole ? whole.handle(request, peer) : handler.handle(request);
    }

    /** Built once per handler, so an exchange allocates no chain of its own. */
    private static ExchangeFilter.Chain chain(List<ExchangeFilter> filters, ExchangeFilter.Chain end) {
        ExchangeFilter.Chain chain = end;
        for (int i = filters.size() - 1; i >= 0; i--) {
            ExchangeFilter filter = filters.get(i);
            ExchangeFilter.Chain next = chain;
            chain = exchange -> filter.filter(exchange, next);
        }
        return chain;
    }

    /** A handler's answer; its {@link HttpException} answered here, so the filters see that answer too. */
    private static HttpResponse answer(HttpHandler handler, HttpRequest request) throws Exception {
        try {
            HttpResponse response = handler.handle(request);
            if (response == null) {
                throw new IllegalStateException(handler.getClass().getName() + " returned no response");
            }
            return response;
        } catch (HttpException e) {
            return ErrorResponses.of(e.status(), e.getMessage(), request);
        }
    }

    /** What the server asks a handler before running it goes to the handler inside. */
    private abstract static class Wrapper<H extends HttpHandler> implements HttpHandler {

        final H handler;
        final ExchangeFilter.Chain chain;

        Wrapper(H handler, ExchangeFilter.Chain chain) {
            this.handler = handler;
            this.chain = chain;
        }

        @Override
        public boolean accepts(HttpRequest request) {
            return handler.accepts(request);
        }

        @Override
        public boolean isBlocking() {
            return handler.isBlocking();
        }

        @Override
        public boolean readsBody(HttpRequest head) {
            return handler.readsBody(head);
        }

        /** A class's method beats an interface's default, so this one serves the streaming wrapper too. */
        @Override
        public long bodyLimit(HttpRequest head) {
            return handler.bodyLimit(head);
        }

        @Override
        public Listener listener() {
            return handler.listener();
        }

        @Override
        public String uriTemplate(HttpRequest request, int status) {
            return handler.uriTemplate(request, status);
        }

        @Override
        public String toString() {
            return handler + " (filtered)";
        }
    }

    /** A whole-response handler: the filters run, and answer, before {@link #handle} returns. */
    private static final class Whole extends Wrapper<HttpHandler> {

        Whole(HttpHandler handler, ExchangeFilter.Chain chain) {
            super(handler, chain);
        }

        @Override
        public HttpResponse handle(HttpRequest request) throws Exception {
            return handle(request, NO_PEER);
        }

        HttpResponse handle(HttpRequest request, InetSocketAddress peer) throws Exception {
            WholeExchange exchange = new WholeExchange(request, peer);
            chain.proceed(exchange);
            HttpResponse response = exchange.response();
            if (response == null) {
                throw new IllegalStateException("A filter around " + handler.getClass().getName() + " neither answered nor went on");
            }
            return response;
        }
    }

    private static final class Streaming extends Wrapper<StreamingHandler> implements StreamingHandler {

        Streaming(StreamingHandler handler, ExchangeFilter.Chain chain) {
            super(handler, chain);
        }

        @Override
        public void handle(HttpExchange exchange) throws Exception {
            chain.proceed(exchange);
        }
    }
}
