package dev.pier.http1;

import dev.pier.http.HttpRequest;
import java.nio.ByteBuffer;

/** What {@link RequestParser#parse} makes of the bytes it has seen so far. */
public sealed interface ParseResult permits ParseResult.NeedMore, ParseResult.Parsed, ParseResult.Streaming, ParseResult.Content,
        ParseResult.Rejected {

    /** The request is incomplete; call again with more bytes. */
    record NeedMore() implements ParseResult {
        static final NeedMore INSTANCE = new NeedMore();
    }

    /** A whole request, body included, has been consumed from the buffer. */
    record Parsed(HttpRequest request) implements ParseResult {
    }

    /**
     * A head whose body is to be streamed ({@link BodyHandling#streamed}): the request has no body
     * of its own; {@link RequestParser#content} hands the body out piece by piece.
     */
    record Streaming(HttpRequest request) implements ParseResult {
    }

    /**
     * A piece of a streamed body: a slice of the caller's buffer, valid until the buffer is next
     * changed; {@code last} once the body is complete, when the data may be empty.
     */
    record Content(ByteBuffer data, boolean last) implements ParseResult {
        public static final Content END = new Content(ByteBuffer.allocate(0).asReadOnlyBuffer(), true);
    }

    /**
     * The bytes are not an acceptable request. The stream position is unknown afterwards, so the
     * connection must be closed after the error response.
     */
    record Rejected(int status, String reason) implements ParseResult {
    }
}
