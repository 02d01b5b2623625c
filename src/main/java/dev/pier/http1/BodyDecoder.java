package dev.pier.http1;

import dev.pier.http.HttpHeaders;
import java.nio.ByteBuffer;

/** Takes a request body's framing off the bytes that follow its head: a length, or chunks. */
sealed interface BodyDecoder permits ChunkedDecoder, FixedLengthDecoder {

    /**
     * The next piece of the body in the buffer, as a {@link ParseResult.Content} slice of it (the
     * buffer's position moved past it) of at most {@code max} bytes, {@link ParseResult.Content#END}
     * once the body is complete, "need more", or a rejection after which the stream is lost.
     */
    ParseResult next(ByteBuffer buffer, int max);

    /** Trailer fields, once the body is complete; empty for a body framed by its length. */
    HttpHeaders trailers();

    /** Body bytes handed out so far. */
    long received();
}
