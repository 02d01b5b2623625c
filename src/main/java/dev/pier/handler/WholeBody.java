package dev.pier.handler;

import dev.pier.http.HttpException;
import dev.pier.http.HttpHeaders;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** A body already read whole, as a {@link RequestBody}: one chunk, then the end. */
public final class WholeBody implements RequestBody {

    private static final byte[] NONE = new byte[0];

    private record Whole(ByteBuffer data) implements Chunk {

        @Override
        public boolean last() {
            return true;
        }

        @Override
        public void release() {
            // Nothing is held for the client.
        }
    }

    private final byte[] bytes;
    private final HttpHeaders trailers;
    private volatile boolean read;

    /** @param bytes the body; {@code null} for none */
    public WholeBody(byte[] bytes, HttpHeaders trailers) {
        this.bytes = bytes == null ? NONE : bytes;
        this.trailers = trailers;
    }

    @Override
    public Chunk read() {
        byte[] data = read ? NONE : bytes;
        read = true;
        return new Whole(ByteBuffer.wrap(data).asReadOnlyBuffer());
    }

    /** The whole body is there already: the callback runs at once, on the caller's thread. */
    @Override
    public void demand(Runnable callback) {
        callback.run();
    }

    @Override
    public InputStream inputStream() {
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public CompletableFuture<byte[]> readAll(long limit) {
        if (bytes.length > limit) {
            return CompletableFuture.failedFuture(new HttpException(413, "Request body larger than " + limit + " bytes"));
        }
        return CompletableFuture.completedFuture(bytes);
    }

    @Override
    public long length() {
        return bytes.length;
    }

    @Override
    public HttpHeaders trailers() {
        return trailers;
    }
}
