package dev.pier.server;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;

/**
 * Answers, in every handler's place, a request for a host this TLS connection is not authoritative
 * for: its client asked by SNI for a host that gets another certificate, then sent a
 * {@code Host} or {@code :authority} of this one. 421 Misdirected Request (RFC 9110 §7.4) tells it
 * to retry on a connection of its own, as browsers do when HTTP/2 coalescing went too far
 * (RFC 9113 §9.1.1). Runs on the event loop, before any filter, and needs no body.
 */
final class MisdirectedRequestHandler implements HttpHandler {

    static final MisdirectedRequestHandler INSTANCE = new MisdirectedRequestHandler();

    private MisdirectedRequestHandler() {
    }

    @Override
    public boolean accepts(HttpRequest request) {
        return true;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        return ErrorResponses.of(421, "This connection is not for that host; make a new one to it.", request);
    }

    @Override
    public boolean isBlocking() {
        return false;
    }

    @Override
    public boolean readsBody(HttpRequest head) {
        return false;
    }
}
