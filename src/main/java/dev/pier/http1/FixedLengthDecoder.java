package dev.pier.http1;

import dev.pier.http.HttpHeaders;
import java.nio.ByteBuffer;

/** A body of {@code Content-Length} bytes. */
final class FixedLengthDecoder implements BodyDecoder {

    private final long length;
    private long received;

    FixedLengthDecoder(long length) {
        this.length = length;
    }

    @Override
    public ParseResult next(ByteBuffer buffer, int max) {
        if (received == length) {
            return ParseResult.Content.END;
        }
        int take = (int) Math.min(Math.min(buffer.remaining(), length - received), max);
        if (take == 0) {
            return ParseResult.NeedMore.INSTANCE;
        }
        ByteBuffer data = buffer.slice(buffer.position(), take);
        buffer.position(buffer.position() + take);
        received += take;
        return new ParseResult.Content(data, received == length);
    }

    @Override
    public HttpHeaders trailers() {
        return HttpHeaders.EMPTY;
    }

    @Override
    public long received() {
        return received;
    }
}
