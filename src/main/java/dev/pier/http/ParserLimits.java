package dev.pier.http;

/**
 * Bounds on what the parser accepts from a client.
 *
 * @param requestLine longest request line in bytes (longer: 414)
 * @param headerBytes largest header section in bytes, request line included (larger: 431)
 * @param headers most header fields (more: 431)
 * @param body largest request body in bytes (larger: 413, decided before reading it when the length is declared);
 *     at most {@link #MAX_BODY}, as a body is held in one array
 */
public record ParserLimits(int requestLine, int headerBytes, int headers, long body) {

    public static final ParserLimits DEFAULTS = new ParserLimits(8192, 16384, 100, 1024 * 1024);

    /** The largest byte array a JVM reliably allocates. */
    public static final long MAX_BODY = Integer.MAX_VALUE - 8;

    public ParserLimits {
        if (requestLine < 16 || headerBytes < requestLine || headers < 1 || body < 0 || body > MAX_BODY) {
            throw new IllegalArgumentException("Invalid parser limits " + requestLine + "/" + headerBytes + "/" + headers + "/" + body);
        }
    }
}
