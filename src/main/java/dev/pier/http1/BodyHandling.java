package dev.pier.http1;

import dev.pier.http.ParserLimits;

/**
 * What becomes of a request's body once its head is known: gathered whole before the request is
 * handed on (today's handlers, at most {@code limit} bytes), or streamed to a handler that reads it
 * as it comes. Either way a body larger than {@code limit} is refused with 413: before any of it
 * is read when its length is declared, at the chunk that passes the limit otherwise.
 *
 * @param limit the most body bytes accepted; {@link Long#MAX_VALUE} for no limit
 */
public record BodyHandling(boolean streamed, long limit) {

    public BodyHandling {
        if (limit < 0 || !streamed && limit > ParserLimits.MAX_BODY) {
            throw new IllegalArgumentException("Invalid body limit " + limit + (streamed ? "" : " for a body gathered in one array"));
        }
    }

    public static BodyHandling gathered(long limit) {
        return new BodyHandling(false, limit);
    }

    public static BodyHandling streamed(long limit) {
        return new BodyHandling(true, limit);
    }
}
