package dev.pier.http;

/** What {@link RequestParser#parse} makes of the bytes it has seen so far. */
public sealed interface ParseResult permits ParseResult.NeedMore, ParseResult.Parsed, ParseResult.Rejected {

    /** The request is incomplete; call again with more bytes. */
    record NeedMore() implements ParseResult {
        static final NeedMore INSTANCE = new NeedMore();
    }

    /** A whole request, body included, has been consumed from the buffer. */
    record Parsed(HttpRequest request) implements ParseResult {
    }

    /**
     * The bytes are not an acceptable request. The stream position is unknown afterwards, so the
     * connection must be closed after the error response.
     */
    record Rejected(int status, String reason) implements ParseResult {
    }
}
