package dev.pier.http1;

import dev.pier.http.HttpHeaders;
import dev.pier.http.ParserLimits;
import java.nio.ByteBuffer;

/**
 * Decodes a chunked request body (RFC 9112 §7.1), strictly: hex sizes without overflow, CRLF
 * after every size line and every chunk, extensions only of bounded length, trailer fields parsed
 * as header fields are. It hands out the chunks' data as slices of the caller's buffer, never
 * copying them, so the same decoder serves a body gathered whole and one streamed to a handler.
 * A line is consumed only once complete, so the caller's buffer holds any partial line.
 */
final class ChunkedDecoder implements BodyDecoder {

    private enum Step { SIZE, DATA, DATA_END, TRAILER, DONE }

    /** A size line with extensions longer than this is abuse, not a chunk (nginx allows less). */
    static final int MAX_SIZE_LINE = 4096;

    private static final ParseResult NEED_MORE = ParseResult.NeedMore.INSTANCE;

    // What findCrlf answers instead of an index.
    private static final int INCOMPLETE = -1;
    private static final int MALFORMED = -2;
    private static final int TOO_LONG = -3;

    private final ParserLimits limits;
    private final long limit;
    private Step step = Step.SIZE;
    private long chunkRemaining;
    private long length;
    private int trailerBytes;
    private int trailerFields;
    private HttpHeaders.Builder trailers;

    /** @param limit the most body bytes accepted; a chunk that would pass it is a 413 before its data */
    ChunkedDecoder(ParserLimits limits, long limit) {
        this.limits = limits;
        this.limit = limit;
    }

    @Override
    public ParseResult next(ByteBuffer buffer, int max) {
        while (true) {
            switch (step) {
                case SIZE -> {
                    int lineEnd = findCrlf(buffer, MAX_SIZE_LINE);
                    if (lineEnd < 0) {
                        return lineEnd == INCOMPLETE ? NEED_MORE : RequestParser.reject(400, "Invalid chunk size line");
                    }
                    long size = chunkSize(buffer, lineEnd);
                    if (size < 0) {
                        return RequestParser.reject(400, "Invalid chunk size");
                    }
                    if (size > limit - length) {
                        return RequestParser.reject(413, "Request body larger than " + limit + " bytes");
                    }
                    buffer.position(lineEnd + 2);
                    chunkRemaining = size;
                    step = size == 0 ? Step.TRAILER : Step.DATA;
                }
                case DATA -> {
                    int take = (int) Math.min(Math.min(buffer.remaining(), chunkRemaining), max);
                    if (take == 0) {
                        return NEED_MORE;
                    }
                    ByteBuffer data = buffer.slice(buffer.position(), take);
                    buffer.position(buffer.position() + take);
                    length += take;
                    chunkRemaining -= take;
                    if (chunkRemaining == 0) {
                        step = Step.DATA_END;
                    }
                    return new ParseResult.Content(data, false);
                }
                case DATA_END -> {
                    if (buffer.remaining() < 2) {
                        return NEED_MORE;
                    }
                    if (buffer.get() != '\r' || buffer.get() != '\n') {
                        return RequestParser.reject(400, "Missing CRLF after chunk data");
                    }
                    step = Step.SIZE;
                }
                case TRAILER -> {
                    ParseResult trailer = trailerLine(buffer);
                    if (trailer != null) {
                        return trailer;
                    }
                }
                case DONE -> {
                    return ParseResult.Content.END;
                }
            }
        }
    }

    /** Reads one trailer line: null to go on, else what to answer (the end, "need more" or a rejection). */
    private ParseResult trailerLine(ByteBuffer buffer) {
        int lineEnd = findCrlf(buffer, limits.headerBytes() - trailerBytes);
        if (lineEnd == INCOMPLETE) {
            return NEED_MORE;
        }
        if (lineEnd == MALFORMED) {
            return RequestParser.reject(400, "Bare CR or LF in trailer section");
        }
        if (lineEnd == TOO_LONG) {
            return RequestParser.reject(431, "Trailer section too large");
        }
        int start = buffer.position();
        int lineLength = lineEnd - start;
        buffer.position(lineEnd + 2);
        if (lineLength == 0) {
            step = Step.DONE;
            return ParseResult.Content.END;
        }
        trailerBytes += lineLength + 2;
        if (++trailerFields > limits.headers()) {
            return RequestParser.reject(431, "Too many trailer fields");
        }
        if (trailers == null) {
            trailers = HttpHeaders.builder();
        }
        byte[] line = new byte[lineLength];
        buffer.get(start, line);
        String error = RequestHeadParser.field(line, 0, lineLength, trailers);
        return error == null ? null : RequestParser.reject(400, error + " in trailer section");
    }

    @Override
    public HttpHeaders trailers() {
        return trailers == null ? HttpHeaders.EMPTY : trailers.build();
    }

    @Override
    public long received() {
        return length;
    }

    /**
     * Index of the CR of the next CRLF; {@link #INCOMPLETE} if not there yet, {@link #MALFORMED}
     * if the line holds a bare CR or LF, {@link #TOO_LONG} if it is longer than {@code max}.
     */
    private static int findCrlf(ByteBuffer buffer, int max) {
        int start = buffer.position();
        int end = Math.min(buffer.limit(), start + max + 2);
        for (int i = start; i < end; i++) {
            byte b = buffer.get(i);
            if (b == '\n') {
                return MALFORMED;
            }
            if (b == '\r') {
                if (i + 1 == buffer.limit()) {
                    return INCOMPLETE;
                }
                return buffer.get(i + 1) == '\n' ? i : MALFORMED;
            }
        }
        return end - start >= max + 2 ? TOO_LONG : INCOMPLETE;
    }

    /**
     * The hex size before any {@code ;extension}, or -1 if malformed or above 2^60. Leading zeros
     * are valid {@code 1*HEXDIG}, so only significant digits count towards the overflow guard.
     */
    private static long chunkSize(ByteBuffer buffer, int lineEnd) {
        long size = 0;
        int digits = 0;
        int significant = 0;
        int i = buffer.position();
        for (; i < lineEnd; i++) {
            int digit = Character.digit(buffer.get(i), 16);
            if (digit < 0) {
                break;
            }
            digits++;
            if ((size != 0 || digit != 0) && ++significant > 15) {
                return -1;
            }
            size = size << 4 | digit;
        }
        if (digits == 0) {
            return -1;
        }
        for (; i < lineEnd; i++) {
            int c = buffer.get(i) & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return -1;
            }
        }
        if (i > buffer.position() + digits && !isExtensionStart(buffer, buffer.position() + digits, lineEnd)) {
            return -1;
        }
        return size;
    }

    /** After the digits only optional whitespace and {@code ;} may start the extensions. */
    private static boolean isExtensionStart(ByteBuffer buffer, int from, int lineEnd) {
        for (int i = from; i < lineEnd; i++) {
            byte b = buffer.get(i);
            if (b == ';') {
                return true;
            }
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return false;
    }
}
