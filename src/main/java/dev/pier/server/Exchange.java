package dev.pier.server;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpRequest;
import java.net.InetSocketAddress;

/**
 * One request and what became of it, for access logs and metrics.
 *
 * @param remoteAddress the client's address
 * @param request the request; {@code null} when its bytes were refused before they made one (400, 408, 413…)
 * @param handler the handler that answered; {@code null} when the server answered itself
 * @param status the status sent
 * @param bytesSent bytes of the response, head included, that were to be sent
 * @param startNanos {@link System#nanoTime()} when the request's first byte was seen (to the loop turn's precision)
 * @param endNanos {@link System#nanoTime()} when the response was written, or the connection lost
 * @param completed whether the whole response was written
 * @param failure what the handler threw when the server answered 500 for it; {@code null} otherwise
 */
public record Exchange(InetSocketAddress remoteAddress, HttpRequest request, HttpHandler handler, int status, long bytesSent,
        long startNanos, long endNanos, boolean completed, Throwable failure) {

    public long durationNanos() {
        return endNanos - startNanos;
    }

    Exchange ended(long nanos, boolean whole) {
        return new Exchange(remoteAddress, request, handler, status, bytesSent, startNanos, nanos, whole, failure);
    }
}
