package dev.pier.handler;

import dev.pier.http.HttpHeaders;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A response body written as it is produced. Every method may be called from any thread; what it
 * does happens on the exchange's event loop, in call order. The returned futures are the
 * backpressure: a write completes once its bytes are handed to the socket or the bytes waiting are
 * few enough ({@link #BUFFERED}), and fails when the client is gone; wait for it before the next
 * write and memory stays flat however slow the client.
 */
public interface ResponseStream {

    /** At most this many response bytes wait for a slow client before writes stop completing. */
    int BUFFERED = 64 * 1024;

    /** Queues the buffer's remaining bytes; leave the buffer alone until the future completes. */
    CompletableFuture<Void> write(ByteBuffer data);

    /** Sends what is waiting, the head included if nothing was written yet. */
    CompletableFuture<Void> flush();

    /** Ends the body; trailer fields go with the last chunk of a chunked body, and are dropped otherwise. */
    CompletableFuture<Void> end(HttpHeaders trailers);

    default CompletableFuture<Void> end() {
        return end(HttpHeaders.EMPTY);
    }

    /**
     * A blocking view for a handler on a worker: {@code write} waits while the client is slow (at
     * most {@code pier.timeouts.send}, then an {@code IOException}), {@code flush} sends,
     * {@code close} ends the body.
     */
    OutputStream outputStream();
}
