package dev.pier.server;

import dev.pier.handler.HttpHandler;
import dev.pier.handler.UriTemplates;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpRequest;
import java.net.InetSocketAddress;

/**
 * One request and what became of it, for access logs and metrics.
 *
 * @param remoteAddress the client's address
 * @param request the request; {@code null} when its bytes were refused before they made one (400, 408, 413…)
 * @param handler the handler that answered; {@code null} when the server answered itself
 * @param status the status sent
 * @param responseHeaders the response's header fields as the handler gave them (the server's own, such as {@code Date},
 *     left out), for logs that print one, as nginx's {@code $sent_http_*}
 * @param headBytes bytes of the response's head (status line and header fields)
 * @param bytesSent bytes of the response, head included, written to the connection: all of them when {@code completed},
 *     fewer when the client went away first
 * @param startNanos {@link System#nanoTime()} when the request's first byte was seen (to the loop turn's precision)
 * @param endNanos {@link System#nanoTime()} when the response was written, or the connection lost
 * @param completed whether the whole response was written
 * @param failure what the handler threw when the server answered 500 for it; {@code null} otherwise
 */
public record Exchange(InetSocketAddress remoteAddress, HttpRequest request, HttpHandler handler, int status, HttpHeaders responseHeaders, long headBytes,
        long bytesSent, long startNanos, long endNanos, boolean completed, Throwable failure) {

    public long durationNanos() {
        return endNanos - startNanos;
    }

    /**
     * The route that answered, as the handler names it ({@code /orders/{id}}, {@code STATIC}),
     * of bounded cardinality: the {@code uri} tag of {@code http.server.requests} and the access
     * log's {@code route}; Spring's names for a request no handler took.
     */
    public String uriTemplate() {
        if (handler == null || request == null) {
            return UriTemplates.unmatched(status);
        }
        String template = handler.uriTemplate(request, status);
        return template == null || template.isEmpty() ? UriTemplates.UNKNOWN : template;
    }

    /** Bytes of the body written, the head left out: what nginx logs as {@code $body_bytes_sent} and Apache as {@code %B}. */
    public long bodyBytesSent() {
        return Math.max(0, bytesSent - headBytes);
    }

    Exchange ended(long nanos, boolean whole, long written) {
        return new Exchange(remoteAddress, request, handler, status, responseHeaders, headBytes, written, startNanos, nanos, whole, failure);
    }
}
