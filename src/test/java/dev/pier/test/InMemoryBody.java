package dev.pier.test;

import dev.pier.handler.RequestBody;
import dev.pier.http.HttpException;
import dev.pier.http.HttpHeaders;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** A request body that has arrived whole: one last chunk, then empty last ones, as {@link RequestBody#read()} promises. */
final class InMemoryBody implements RequestBody {

    private record Whole(ByteBuffer data) implements Chunk {

        @Override
        public boolean last() {
            return true;
        }

        @Override
        public void release() {
            // Nothing is held for a connection: there is none.
        }
    }

    private final byte[] bytes;
    private volatile boolean read;

    InMemoryBody(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public Chunk read() {
        ByteBuffer data = read ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        read = true;
        return new Whole(data);
    }

    /** The whole body is there already: the callback runs at once, on the caller's thread, which is the loop's. */
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
        return HttpHeaders.EMPTY;
    }
}
