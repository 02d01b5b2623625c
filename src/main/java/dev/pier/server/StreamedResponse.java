package dev.pier.server;

import dev.pier.handler.ResponseStream;
import dev.pier.http.HttpHeaders;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A response body written as the handler produces it, framed for HTTP/1.1: chunks of
 * {@code Transfer-Encoding: chunked}, exactly {@code Content-Length} bytes, bytes until the
 * connection closes (HTTP/1.0), or nothing at all (HEAD, 204, 304); over HTTP/2 the stream frames
 * the bytes itself. Calls from any thread are
 * posted to the loop, in order; there the bytes join the connection's outbound queue. A write's
 * future completes once at most {@link ResponseStream#BUFFERED} of the bytes up to its end remain
 * unsent, which keeps a fast handler from queueing without bound for a slow client; the end's
 * future completes once the last byte is written.
 */
final class StreamedResponse implements ResponseStream {

    /** How the body is delimited on the wire. */
    enum Framing { CHUNKED, LENGTH, UNTIL_CLOSE, NONE, FRAMES }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n".getBytes(StandardCharsets.US_ASCII);

    /** What the response writes through: the connection, on whose loop every method here runs. */
    interface Output {

        /** Queues bytes after the head; returns the position, in bytes written since the connection opened, where they end. */
        long queue(ByteBuffer bytes);

        /** Writes what the socket takes now; the connection tells {@link #onWritten} as bytes leave. */
        void flush();

        /**
         * The body is complete: the exchange ends once it is written.
         *
         * @param trailers trailer fields for the protocol to send itself (HTTP/2); empty for HTTP/1.1, whose chunked
         *     trailers were queued as bytes
         */
        void finish(HttpHeaders trailers);

        /** Bytes written to the socket so far, on the same scale as {@link #queue}'s positions. */
        long written();

        /** Where what is queued so far ends, on the same scale. */
        long queuedEnd();

        EventLoop loop();

        Duration sendTimeout();
    }

    /** A future that completes once at most {@code slack} bytes before {@code end} are unsent. */
    private record Pending(long end, long slack, CompletableFuture<Void> future) {
    }

    private final Output output;
    private final Framing framing;
    private final long declaredLength;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long sent;
    private boolean ended;
    private Throwable failure;
    private boolean completionScheduled;

    StreamedResponse(Output output, Framing framing, long declaredLength) {
        this.output = output;
        this.framing = framing;
        this.declaredLength = declaredLength;
    }

    @Override
    public CompletableFuture<Void> write(ByteBuffer data) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        onLoop(() -> queue(data, future));
        return future;
    }

    @Override
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> future = new CompletableFuture<>();
        onLoop(() -> {
            if (fails(future)) {
                return;
            }
            output.flush();
            complete(future, output.queuedEnd(), 0);
        });
        return future;
    }

    @Override
    public CompletableFuture<Void> end(HttpHeaders trailers) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        onLoop(() -> finish(trailers, future));
        return future;
    }

    private void onLoop(Runnable task) {
        if (output.loop().inLoop()) {
            task.run();
        } else {
            output.loop().execute(task);
        }
    }

    private void queue(ByteBuffer data, CompletableFuture<Void> future) {
        if (fails(future)) {
            return;
        }
        if (ended) {
            future.completeExceptionally(new IllegalStateException("The response has ended"));
            return;
        }
        int size = data.remaining();
        if (framing == Framing.LENGTH && sent + size > declaredLength) {
            future.completeExceptionally(new IllegalStateException(
                    "Writing " + size + " more bytes would pass the declared Content-Length of " + declaredLength));
            return;
        }
        sent += size;
        long end = output.queuedEnd();
        if (size > 0 && framing != Framing.NONE) {
            if (framing == Framing.CHUNKED) {
                output.queue(ByteBuffer.wrap((Long.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII)));
                output.queue(data);
                end = output.queue(ByteBuffer.wrap(CRLF));
            } else {
                end = output.queue(data);
            }
        }
        output.flush();
        complete(future, end, BUFFERED);
    }

    private void finish(HttpHeaders trailers, CompletableFuture<Void> future) {
        if (fails(future)) {
            return;
        }
        if (ended) {
            future.complete(null);
            return;
        }
        if (framing == Framing.LENGTH && sent != declaredLength) {
            future.completeExceptionally(new IllegalStateException(
                    "The body ended after " + sent + " of its declared " + declaredLength + " bytes"));
            return;
        }
        ended = true;
        long end = output.queuedEnd();
        if (framing == Framing.CHUNKED) {
            output.queue(ByteBuffer.wrap(LAST_CHUNK));
            StringBuilder fields = new StringBuilder();
            for (int i = 0; i < trailers.size(); i++) {
                fields.append(trailers.name(i)).append(": ").append(trailers.value(i)).append("\r\n");
            }
            end = output.queue(ByteBuffer.wrap((fields + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        }
        complete(future, end, 0);
        output.finish(framing == Framing.FRAMES ? trailers : HttpHeaders.EMPTY);
    }

    /**
     * Completes the future once little enough waits before its end: in a task of its own when that
     * is already so, since a handler that writes again from the completion would otherwise nest a
     * call per write on this thread's stack; else when the connection has written more.
     */
    private void complete(CompletableFuture<Void> future, long end, long slack) {
        pending.add(new Pending(end, slack, future));
        if (!completionScheduled && end - output.written() <= slack) {
            completionScheduled = true;
            output.loop().execute(() -> {
                completionScheduled = false;
                onWritten();
            });
        }
    }

    /** The connection wrote bytes: complete, in order, the futures whose bytes are out, as far as their slack asks. */
    void onWritten() {
        long written = output.written();
        while (!pending.isEmpty() && pending.peek().end() - written <= pending.peek().slack()) {
            pending.poll().future().complete(null);
        }
    }

    /** The client is gone, or the server stopped: every write fails now and from now on. */
    void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        Pending next;
        while ((next = pending.poll()) != null) {
            next.future().completeExceptionally(failure);
        }
    }

    boolean ended() {
        return ended;
    }

    private boolean fails(CompletableFuture<Void> future) {
        if (failure != null) {
            future.completeExceptionally(failure);
            return true;
        }
        return false;
    }

    @Override
    public OutputStream outputStream() {
        if (output.loop().inLoop()) {
            throw new IllegalStateException("A blocking write on an event loop would stall every connection on it");
        }
        return new BlockingOutput();
    }

    /** Writes through the futures, waiting on each for at most the send timeout. */
    private final class BlockingOutput extends OutputStream {

        private static final int BUFFER = 8192;

        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            if (!buffer.hasRemaining()) {
                flushBuffer(false);
            }
            buffer.put((byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (length <= buffer.remaining()) {
                buffer.put(bytes, offset, length);
                return;
            }
            flushBuffer(false);
            if (length <= buffer.remaining()) {
                buffer.put(bytes, offset, length);
            } else {
                // Large writes go as they are; the copy keeps the caller free to reuse its array.
                await(StreamedResponse.this.write(ByteBuffer.wrap(bytes.clone(), offset, length)));
            }
        }

        @Override
        public void flush() throws IOException {
            flushBuffer(true);
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            flushBuffer(false);
            await(end());
        }

        private void flushBuffer(boolean send) throws IOException {
            if (closed && send) {
                throw new IOException("The response stream is closed");
            }
            if (buffer.position() > 0) {
                byte[] bytes = new byte[buffer.position()];
                buffer.flip().get(bytes);
                buffer.clear();
                await(StreamedResponse.this.write(ByteBuffer.wrap(bytes)));
            }
            if (send) {
                await(StreamedResponse.this.flush());
            }
        }

        private void await(CompletableFuture<Void> future) throws IOException {
            try {
                future.get(output.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("Interrupted while writing the response");
            } catch (TimeoutException e) {
                throw new IOException("The client did not read the response within " + output.sendTimeout());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
            }
        }
    }
}
