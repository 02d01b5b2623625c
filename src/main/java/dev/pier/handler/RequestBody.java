package dev.pier.handler;

import dev.pier.http.HttpHeaders;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A request body as it arrives: read what has come, ask to hear when more does, release what was
 * read. Releasing is what lets the connection read more from the client: a handler that stops
 * releasing stops the client, with at most {@link #BUFFERED} bytes held for it meanwhile.
 *
 * <p>{@link #read()} and {@link #demand} belong on the exchange's event loop
 * ({@link HttpExchange#loop()}); a handler on a worker uses {@link #inputStream()} instead.
 * {@code 100 Continue} goes to a client that waits for it when the body is first asked for.
 */
public interface RequestBody {

    /** The most body bytes the server holds for one exchange: what was read from the socket and not yet released. */
    int BUFFERED = 32 * 1024;

    /** Piece of a body; its data is valid until released. */
    interface Chunk {

        ByteBuffer data();

        /** Whether the body ends with this chunk (whose data may be empty). */
        boolean last();

        /** Hands the chunk back, so more may be read; once. */
        void release();
    }

    /**
     * The next chunk that has arrived, or {@code null} when none has yet (ask with {@link #demand}).
     * After the last chunk, every call returns an empty last one. Event loop only.
     *
     * @throws dev.pier.http.HttpException 413 past the body limit, 400 for broken framing, 408 when
     *     the client paused longer than {@code pier.timeouts.body}
     * @throws java.io.UncheckedIOException when the client went away
     */
    Chunk read();

    /** Runs the callback once, on the event loop, when {@link #read()} has something to say. */
    void demand(Runnable callback);

    /** The body as a blocking stream, for a handler on a worker; never on an event loop. */
    InputStream inputStream();

    /** The whole body, if it is at most {@code limit} bytes (else fails with a 413 {@code HttpException}). */
    CompletableFuture<byte[]> readAll(long limit);

    /** The declared {@code Content-Length}, or -1 for a chunked body. */
    long length();

    /** Trailer fields of a chunked body read to its end; empty before then, and for other bodies. */
    HttpHeaders trailers();
}
