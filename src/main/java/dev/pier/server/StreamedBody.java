package dev.pier.server;

import dev.pier.handler.RequestBody;
import dev.pier.http.HttpException;
import dev.pier.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A request body streamed to its handler, over the connection that reads it ({@link BodyChannel}).
 * Loop-confined: {@link #read()} and {@link #demand} run on the connection's loop, and the
 * blocking views post their work there. A chunk is a copy into this body's own buffer of at most
 * {@link #CHUNK} bytes, so the connection's read buffer never escapes; until the chunk is released
 * nothing more is taken off the connection, which stops reading the socket: that is the
 * backpressure. At most {@link RequestBody#BUFFERED} bytes are held meanwhile (the connection's
 * read buffer and this chunk).
 */
final class StreamedBody implements RequestBody {

    /** Largest chunk handed out: half of what may be held, the other half being the connection's read buffer. */
    static final int CHUNK = BUFFERED / 2;

    /** What the body reads through: the connection, whose loop all of this runs on. */
    interface BodyChannel {

        /** Copies the next body bytes into {@code into}; the result says whether it did, needs more, is done or failed. */
        Pull pull(ByteBuffer into);

        /** Asks to be told ({@link StreamedBody#onReadable}) when bytes arrive; sends {@code 100 Continue} the first time. */
        void awaitBytes();

        HttpHeaders trailers();

        EventLoop loop();

        /** The handler is done with this many bytes: a protocol with flow control lets the client send as many more. */
        default void consumed(int bytes) {
        }
    }

    enum Pull { DATA, NEED_MORE, END }

    private final BodyChannel channel;
    private final long length;
    /** Made at the first read, no larger than the body: most exchanges (a GET) have none, and 16 KiB each was most of their garbage. */
    private ByteBuffer buffer;
    private final Chunk chunk = new Chunk() {
        @Override
        public ByteBuffer data() {
            return buffer;
        }

        @Override
        public boolean last() {
            return ended;
        }

        @Override
        public void release() {
            if (lent) {
                lent = false;
                channel.consumed(buffer.limit());
            }
        }
    };

    private boolean lent;
    private boolean ended;
    private RuntimeException failure;
    private Runnable demand;

    StreamedBody(BodyChannel channel, long length) {
        this.channel = channel;
        this.length = length;
    }

    @Override
    public Chunk read() {
        if (failure != null) {
            throw failure;
        }
        if (lent) {
            throw new IllegalStateException("The previous chunk was not released");
        }
        if (buffer == null) {
            buffer = ByteBuffer.allocate(length < 0 ? CHUNK : (int) Math.min(CHUNK, length));
        }
        if (ended) {
            buffer.clear().flip();
            lent = true;
            return chunk;
        }
        buffer.clear();
        Pull pull;
        try {
            pull = channel.pull(buffer);
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
        buffer.flip();
        if (pull == Pull.NEED_MORE && !buffer.hasRemaining()) {
            return null;
        }
        ended = pull == Pull.END;
        lent = true;
        return chunk;
    }

    @Override
    public void demand(Runnable callback) {
        if (demand != null) {
            throw new IllegalStateException("Demand is already pending");
        }
        demand = callback;
        if (failure != null || ended) {
            onReadable();
        } else {
            channel.awaitBytes();
        }
    }

    /** The connection has bytes, or an end, for a pending demand: run it. */
    void onReadable() {
        Runnable callback = demand;
        demand = null;
        if (callback != null) {
            callback.run();
        }
    }

    /** Whether the handler waits for bytes: the connection then reads from the socket. */
    boolean demanded() {
        return demand != null;
    }

    boolean ended() {
        return ended;
    }

    /** The client went away, or the body was refused: the handler hears it on its next read. */
    void fail(RuntimeException cause) {
        if (failure == null && !ended) {
            failure = cause;
            onReadable();
        }
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public HttpHeaders trailers() {
        return ended ? channel.trailers() : HttpHeaders.EMPTY;
    }

    @Override
    public CompletableFuture<byte[]> readAll(long limit) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        ByteArrayOutputStream gathered = new ByteArrayOutputStream();
        channel.loop().execute(() -> gather(gathered, limit, result));
        return result;
    }

    private void gather(ByteArrayOutputStream gathered, long limit, CompletableFuture<byte[]> result) {
        try {
            Chunk next;
            while ((next = read()) != null) {
                ByteBuffer data = next.data();
                if (gathered.size() + (long) data.remaining() > limit) {
                    next.release();
                    throw new HttpException(413, "Request body larger than " + limit + " bytes");
                }
                gathered.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
                boolean last = next.last();
                next.release();
                if (last) {
                    result.complete(gathered.toByteArray());
                    return;
                }
            }
            demand(() -> gather(gathered, limit, result));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    @Override
    public InputStream inputStream() {
        if (channel.loop().inLoop()) {
            throw new IllegalStateException("A blocking read on an event loop would stall every connection on it");
        }
        return new BlockingInput();
    }

    /** Each read posts one copy to the loop and waits for it: a worker never touches the connection itself. */
    private final class BlockingInput extends InputStream {

        /** The chunk being copied out, on the loop; kept until emptied. */
        private Chunk current;
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (done) {
                return -1;
            }
            CompletableFuture<Integer> copied = new CompletableFuture<>();
            channel.loop().execute(() -> copy(into, offset, length, copied));
            try {
                int count = copied.get();
                done = count < 0;
                return count;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("Interrupted while waiting for the request body");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof UncheckedIOException io) {
                    throw io.getCause();
                }
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IOException(cause);
            }
        }

        /**
         * On the loop: as many bytes as have come, up to {@code length}, one loop task however many
         * chunks that takes; waits for some if none has; -1 at the end.
         */
        private void copy(byte[] into, int offset, int length, CompletableFuture<Integer> copied) {
            int count = 0;
            try {
                while (count < length) {
                    if (current != null && !current.data().hasRemaining()) {
                        boolean last = current.last();
                        current.release();
                        current = null;
                        if (last) {
                            copied.complete(count == 0 ? -1 : count);
                            return;
                        }
                    }
                    if (current == null) {
                        current = StreamedBody.this.read();
                        if (current == null) {
                            break;
                        }
                    }
                    ByteBuffer data = current.data();
                    int take = Math.min(length - count, data.remaining());
                    data.get(into, offset + count, take);
                    count += take;
                }
            } catch (RuntimeException e) {
                if (count == 0) {
                    copied.completeExceptionally(e);
                    return;
                }
                // The bytes before the failure are the caller's; the next read meets it again.
            }
            if (count > 0) {
                copied.complete(count);
            } else {
                demand(() -> copy(into, offset, length, copied));
            }
        }
    }
}
