package dev.pier.http1;

import dev.pier.http.ContentLength;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpVersion;
import dev.pier.http.ParserLimits;
import dev.pier.http.RequestHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * An incremental HTTP/1.1 request parser (RFC 9112): feed it whatever bytes have arrived and it
 * answers with a whole request, "need more", or a rejection carrying the status to send.
 *
 * <p>The head is found by scanning for the empty line; the scan resumes where it stopped, and
 * head bytes stay in the caller's buffer until the head is complete, so no byte is copied twice.
 * Body bytes are consumed as they arrive. After a {@link ParseResult.Parsed} the buffer is
 * positioned at the next pipelined request; call {@link #reset()} before parsing it. Not
 * thread-safe: one parser per connection.
 */
public final class RequestParser {

    /** {@code GATHER}: the body is read whole here; {@code STREAM}: the caller takes it through {@link #content}. */
    private enum State { HEAD, GATHER, STREAM }

    private static final ParseResult NEED_MORE = ParseResult.NeedMore.INSTANCE;

    private final ParserLimits limits;
    private final Function<RequestHead, BodyHandling> bodyHandling;
    private State state = State.HEAD;

    // Head scan, as offsets from the buffer's position (the first byte of the request).
    private int scanned;
    private int lineStart;
    private int lines;

    // Body, once the head is known.
    private RequestHead head;
    private BodyDecoder decoder;
    private byte[] body;
    private int bodyFilled;
    private long declaredLength;

    /** A parser that gathers every body whole, up to the limit's {@link ParserLimits#body()}. */
    public RequestParser(ParserLimits limits) {
        this(limits, head -> BodyHandling.gathered(limits.body()));
    }

    /**
     * @param bodyHandling asked once the head of a request with a body is parsed (not for requests
     *     without one): gather the body, or stream it, and up to what limit
     */
    public RequestParser(ParserLimits limits, Function<RequestHead, BodyHandling> bodyHandling) {
        this.limits = limits;
        this.bodyHandling = bodyHandling;
    }

    public void reset() {
        state = State.HEAD;
        scanned = 0;
        lineStart = 0;
        lines = 0;
        head = null;
        decoder = null;
        body = null;
        bodyFilled = 0;
    }

    /** Whether some bytes of a request have been seen (an idle keep-alive connection has none). */
    public boolean inProgress() {
        return state != State.HEAD || scanned > 0;
    }

    /** The head of the request whose body is being read, or {@code null}. */
    public RequestHead head() {
        return head;
    }

    /**
     * Parses a request: {@link ParseResult.Parsed} with its body, or {@link ParseResult.Streaming}
     * when the body is to be streamed; then "need more" or a rejection. Not for a streamed body's
     * bytes: those go through {@link #content}.
     */
    public ParseResult parse(ByteBuffer buffer) {
        return switch (state) {
            case HEAD -> parseHead(buffer);
            case GATHER -> gather(buffer);
            case STREAM -> throw new IllegalStateException("A streamed body is read with content()");
        };
    }

    /**
     * The next piece of a streamed body: a {@link ParseResult.Content} of at most {@code max}
     * bytes (a slice of the buffer, its position moved past it), "need more", or a rejection.
     */
    public ParseResult content(ByteBuffer buffer, int max) {
        if (state != State.STREAM) {
            throw new IllegalStateException("No body is being streamed");
        }
        return decoder.next(buffer, max);
    }

    /** The declared length of the body being streamed or gathered; -1 when it is chunked. */
    public long bodyLength() {
        return decoder instanceof ChunkedDecoder ? -1 : declaredLength;
    }

    /** The trailer fields of a chunked body read to its end; empty otherwise. */
    public HttpHeaders trailers() {
        return decoder == null ? HttpHeaders.EMPTY : decoder.trailers();
    }

    private ParseResult parseHead(ByteBuffer buffer) {
        int start = buffer.position();
        int available = buffer.remaining();
        while (scanned < available) {
            // Bytes within a line need no decision one by one: skip to the next CR or LF, as far as the limits allow.
            int allowed = Math.min(available, limits.headerBytes());
            if (lines == 0) {
                allowed = Math.min(allowed, lineStart + limits.requestLine());
            }
            int next = scanned;
            byte b = 0;
            while (next < available && (b = buffer.get(start + next)) != '\r' && b != '\n' && next < allowed) {
                next++;
            }
            scanned = next;
            if (next == available) {
                break;
            }
            if (b != '\r' && b != '\n') {
                return lines == 0 && next + 1 - lineStart > limits.requestLine()
                        ? reject(414, "Request line too long")
                        : reject(431, "Request header section too large");
            }
            if (b == '\r') {
                if (scanned + 1 == available) {
                    break;
                }
                if (buffer.get(start + scanned + 1) != '\n') {
                    return reject(400, "Bare CR in request head");
                }
                scanned++;
                continue;
            }
            scanned++;
            if (b != '\n' && lines == 0 && scanned - lineStart > limits.requestLine()) {
                return reject(414, "Request line too long");
            }
            // Line endings count too, so a complete head always fits in headerBytes.
            if (scanned > limits.headerBytes()) {
                return reject(431, "Request header section too large");
            }
            if (b != '\n') {
                continue;
            }
            int contentEnd = scanned - 1 - (scanned >= 2 && buffer.get(start + scanned - 2) == '\r' ? 1 : 0);
            boolean emptyLine = contentEnd == lineStart;
            if (emptyLine && lines == 0) {
                // RFC 9112 §2.2: ignore empty lines before the request line. A loop, not a
                // recursive call: a few kilobytes of newlines must not overflow the stack.
                buffer.position(start + scanned);
                start = buffer.position();
                available = buffer.remaining();
                scanned = 0;
                lineStart = 0;
                continue;
            }
            if (emptyLine) {
                byte[] bytes = new byte[scanned];
                buffer.get(bytes);
                return startBody(buffer, bytes);
            }
            lines++;
            if (lines > limits.headers() + 1) {
                return reject(431, "Too many header fields");
            }
            lineStart = scanned;
        }
        return NEED_MORE;
    }

    private ParseResult startBody(ByteBuffer buffer, byte[] headBytes) {
        RequestHeadParser.Outcome outcome = RequestHeadParser.parse(headBytes, limits);
        if (outcome.rejection() != null) {
            return outcome.rejection();
        }
        head = outcome.head();
        ParseResult framing = frameBody(head.headers(), head.version());
        if (framing != null) {
            return framing;
        }
        if (decoder == null) {
            return complete(new byte[0]);
        }
        BodyHandling handling = bodyHandling.apply(head);
        if (decoder instanceof FixedLengthDecoder && declaredLength > handling.limit()) {
            return reject(413, "Request body larger than " + handling.limit() + " bytes");
        }
        if (decoder instanceof ChunkedDecoder) {
            decoder = new ChunkedDecoder(limits, handling.limit());
        }
        if (handling.streamed()) {
            state = State.STREAM;
            return new ParseResult.Streaming(new HttpRequest(head.method(), head.target(), head.version(), head.headers(), null));
        }
        state = State.GATHER;
        body = new byte[decoder instanceof FixedLengthDecoder ? (int) declaredLength : 256];
        return gather(buffer);
    }

    /** Sets up body reading from the framing headers (RFC 9112 §6.3); returns a rejection or null. */
    private ParseResult frameBody(HttpHeaders headers, HttpVersion version) {
        List<String> transferEncoding = headers.all("Transfer-Encoding");
        List<String> contentLength = headers.all("Content-Length");
        if (!transferEncoding.isEmpty()) {
            if (!contentLength.isEmpty()) {
                return reject(400, "Both Content-Length and Transfer-Encoding");
            }
            if (version == HttpVersion.HTTP_1_0) {
                return reject(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            String[] codings = String.join(",", transferEncoding).split(",", -1);
            String last = codings[codings.length - 1].trim().toLowerCase(Locale.ROOT);
            if (!last.equals("chunked")) {
                return reject(400, "Transfer-Encoding does not end in chunked");
            }
            for (int i = 0; i < codings.length - 1; i++) {
                String coding = codings[i].trim().toLowerCase(Locale.ROOT);
                if (coding.equals("chunked") || coding.isEmpty()) {
                    return reject(400, "Invalid Transfer-Encoding");
                }
            }
            if (codings.length > 1) {
                return reject(501, "Transfer coding not supported: " + codings[0].trim());
            }
            // Its limit is known once the body's handling is.
            decoder = new ChunkedDecoder(limits, Long.MAX_VALUE);
            return null;
        }
        long length = 0;
        if (!contentLength.isEmpty()) {
            length = -1;
            for (String field : contentLength) {
                for (String element : field.split(",", -1)) {
                    long value = ContentLength.parse(element.trim());
                    if (value == -1 || (length != -1 && value != length)) {
                        return reject(400, "Invalid Content-Length");
                    }
                    length = value;
                }
            }
        }
        declaredLength = length;
        decoder = length == 0 ? null : new FixedLengthDecoder(length);
        return null;
    }


    /** Copies the body's pieces into one array as they come. */
    private ParseResult gather(ByteBuffer buffer) {
        while (true) {
            ParseResult next = decoder.next(buffer, Integer.MAX_VALUE);
            if (!(next instanceof ParseResult.Content content)) {
                return next;
            }
            ByteBuffer data = content.data();
            int size = data.remaining();
            if (bodyFilled + size > body.length) {
                body = Arrays.copyOf(body, Math.max(bodyFilled + size, body.length * 2));
            }
            data.get(body, bodyFilled, size);
            bodyFilled += size;
            if (content.last()) {
                return complete(bodyFilled == body.length ? body : Arrays.copyOf(body, bodyFilled));
            }
        }
    }

    private ParseResult complete(byte[] content) {
        return new ParseResult.Parsed(new HttpRequest(head.method(), head.target(), head.version(), head.headers(), content));
    }

    static ParseResult.Rejected reject(int status, String reason) {
        return new ParseResult.Rejected(status, reason);
    }

    /** Decodes {@code bytes[from, to)} as ISO-8859-1, the header field charset of RFC 9110 §5.5. */
    static String latin1(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
