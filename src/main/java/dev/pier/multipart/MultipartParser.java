package dev.pier.multipart;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A push parser for {@code multipart/form-data} (RFC 7578) with the delimiter rules of RFC 2046
 * §5.1.1. Bytes arrive in buffers of any size, split anywhere; each {@link #feed} consumes all it
 * is given and tells a {@link Listener} what it found. Part contents reach the listener as
 * read-only slices of the input, not copies; the parser holds at most one part head
 * ({@link MultipartLimits#partHead()}) and, between two buffers, a count of the delimiter's bytes
 * matched so far (see {@link Delimiter}): never a part's content.
 *
 * <p>The syntax it reads:
 * <ul>
 * <li>The preamble, before the first delimiter, is skipped. The first delimiter may come without
 * its CRLF, at the very start of the body.
 * <li>The delimiter is CRLF "--" boundary. As RFC 2046 asks ("it is sufficient that the boundary
 * appear in its entirety following the CRLF"), a line starting with it ends the part, whatever
 * follows: "--" closes the form, transport padding (spaces and tabs) then CRLF starts the next
 * part, and anything else is a 400 "Malformed delimiter line", not content. Tomcat's parser
 * (Commons FileUpload) refuses it too; taking it as content would let a proxy in front and Pier
 * disagree on where a part ends. Bytes that only
 * resemble it ({@code --boundar}, {@code --boundary} not after CRLF, CR or LF alone before it) are
 * content.
 * <li>A part head is header fields, each ending in CRLF, then an empty line. A bare CR or LF there
 * is a 400: every client we know sends CRLF (curl, browsers), the delimiter needs CRLF anyway, and a
 * head read two ways is how parsers disagree. {@link PartHead} reads the fields.
 * <li>After the close delimiter, the epilogue is skipped.
 * </ul>
 *
 * <p>Refusals are {@link MultipartException}s (400 malformed, 413 past a limit), thrown by
 * {@link #feed} or {@link #end}; after one, or after an exception from the listener, the parser is
 * spent. Not thread-safe: one thread feeds it at a time.
 */
public final class MultipartParser {

    /**
     * What the parser tells as it reads, in order: for each part {@code partStarted}, any number of
     * {@code partData}, {@code partEnded}; then {@code formEnded} once, at the close delimiter. An
     * exception from a method stops the parse and comes out of {@link #feed}.
     */
    public interface Listener {

        void partStarted(Part part) throws IOException;

        /**
         * Some of the current part's content, never empty. The buffer is a read-only view of the
         * input, valid only during the call: consume or copy it before returning.
         */
        void partData(ByteBuffer data) throws IOException;

        void partEnded() throws IOException;

        void formEnded() throws IOException;
    }

    private enum State {
        /** Before the first delimiter: bytes are skipped. */
        PREAMBLE,
        /** Right after "--boundary": "-", padding or CR. */
        BOUNDARY,
        /** After "--boundary-": the second "-" closes the form. */
        CLOSE,
        /** Transport padding after the boundary, up to CR. */
        PADDING,
        /** After the CR that ends a delimiter line. */
        LINE_END,
        HEAD,
        BODY,
        /** After the close delimiter: bytes are skipped. */
        EPILOGUE,
        /** {@link #end()} found the form complete. */
        ENDED,
        FAILED
    }

    private static final String BCHARS_NOT_ALPHANUMERIC = "'()+_,-./:=? ";

    private final Delimiter delimiter;
    private final MultipartLimits limits;
    private final Listener listener;

    private State state = State.PREAMBLE;
    /** Delimiter bytes matched at the end of the input so far; 2 at first, as if a CRLF came before the body. */
    private int matched = 2;
    private long total;
    private int parts;
    private long fieldBytes;

    // The head being read: its bytes from after the delimiter line, and how many the limit counts (padding too).
    private byte[] head = new byte[0];
    private int headLength;
    private int headBytes;
    private int lineStart;

    // The part being read.
    private Part part;
    private long partSize;
    private long partLimit;

    /**
     * A parser for a form of this boundary, which {@link #boundary(String)} takes from the request's
     * {@code Content-Type}.
     *
     * @throws IllegalArgumentException when the boundary is not valid
     */
    public MultipartParser(String boundary, MultipartLimits limits, Listener listener) {
        String invalid = invalidBoundary(boundary);
        if (invalid != null) {
            throw new IllegalArgumentException(invalid + ": " + boundary);
        }
        this.delimiter = new Delimiter(boundary);
        this.limits = limits;
        this.listener = listener;
    }

    /**
     * The boundary of a {@code multipart/form-data} Content-Type, quoted or not: 1 to 70 of RFC
     * 2046's bchars, not ending in a space.
     *
     * @throws MultipartException 415 when the type is not {@code multipart/form-data} (or absent),
     *     400 when the boundary is missing or invalid or the parameters malformed
     */
    public static String boundary(String contentType) {
        if (contentType == null || !FieldParameters.main(contentType).equalsIgnoreCase("multipart/form-data")) {
            throw new MultipartException(415, "Content-Type is not multipart/form-data");
        }
        String boundary = FieldParameters.parse(contentType, "Content-Type").parameter("boundary");
        if (boundary == null) {
            throw MultipartException.malformed("Missing boundary in Content-Type");
        }
        String invalid = invalidBoundary(boundary);
        if (invalid != null) {
            throw MultipartException.malformed(invalid);
        }
        return boundary;
    }

    private static String invalidBoundary(String boundary) {
        if (boundary.isEmpty()) {
            return "Empty boundary";
        }
        if (boundary.length() > 70) {
            return "Boundary longer than 70 characters";
        }
        for (int i = 0; i < boundary.length(); i++) {
            char c = boundary.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && BCHARS_NOT_ALPHANUMERIC.indexOf(c) < 0) {
                return "Invalid character in boundary";
            }
        }
        return boundary.endsWith(" ") ? "Boundary ends in a space" : null;
    }

    /**
     * Reads all of {@code input}: its position ends at its limit (unless this throws).
     *
     * @throws MultipartException when the form is malformed or passes a limit
     * @throws IOException from the listener
     */
    public void feed(ByteBuffer input) throws IOException {
        if (state == State.ENDED || state == State.FAILED) {
            throw new IllegalStateException("The parser is " + (state == State.ENDED ? "ended" : "spent after a failure"));
        }
        try {
            if (input.remaining() > limits.total() - total) {
                throw MultipartException.tooLarge("Form too large");
            }
            total += input.remaining();
            int limit = input.limit();
            for (int pos = input.position(); pos < limit; ) {
                pos = switch (state) {
                    case PREAMBLE, BODY -> content(input, pos, limit);
                    case HEAD -> head(input, pos, limit);
                    case EPILOGUE -> limit;
                    default -> delimiterLine(input.get(pos), pos + 1);
                };
            }
            input.position(limit);
        } catch (IOException | RuntimeException | Error e) {
            state = State.FAILED;
            throw e;
        }
    }

    /**
     * Tells the parser the input has ended.
     *
     * @throws MultipartException 400 "Form without a delimiter" before the first delimiter, 400
     *     "Part without end" before the close delimiter
     */
    public void end() {
        switch (state) {
            case EPILOGUE, ENDED -> state = State.ENDED;
            case FAILED -> throw new IllegalStateException("The parser is spent after a failure");
            default -> {
                String reason = state == State.PREAMBLE ? "Form without a delimiter" : "Part without end";
                state = State.FAILED;
                throw MultipartException.malformed(reason);
            }
        }
    }

    /** Preamble or content: up to the next delimiter, or to {@code limit} less the delimiter's prefix that may end it. */
    private int content(ByteBuffer in, int pos, int limit) throws IOException {
        if (matched > 0) {
            int extended = delimiter.extend(in, pos, limit, matched);
            if (extended < 0) {
                // The bytes held were content after all; none of those read since can start a delimiter but the one that differed.
                emit(delimiter.prefix(matched));
                matched = 0;
                return pos;
            }
            int end = pos + extended - matched;
            matched = extended;
            if (extended == delimiter.length()) {
                delimiterFound();
            }
            return end;
        }
        int found = delimiter.find(in, pos, limit);
        if (found >= 0) {
            emit(in, pos, found);
            delimiterFound();
            return found + delimiter.length();
        }
        int held = delimiter.prefixAtEnd(in, pos, limit);
        emit(in, pos, held < 0 ? limit : held);
        matched = held < 0 ? 0 : limit - held;
        return limit;
    }

    private void emit(ByteBuffer in, int from, int to) throws IOException {
        if (to > from && state == State.BODY) {
            emit(in.slice(from, to - from).asReadOnlyBuffer());
        }
    }

    private void emit(ByteBuffer data) throws IOException {
        if (state != State.BODY) {
            return;
        }
        int length = data.remaining();
        if (length > partLimit - partSize) {
            throw MultipartException.tooLarge(part.isFile() ? "File too large" : "Field too large");
        }
        partSize += length;
        if (!part.isFile()) {
            if (length > limits.fields() - fieldBytes) {
                throw MultipartException.tooLarge("Fields too large");
            }
            fieldBytes += length;
        }
        listener.partData(data);
    }

    private void delimiterFound() throws IOException {
        boolean partEnds = state == State.BODY;
        state = State.BOUNDARY;
        matched = 0;
        headLength = 0;
        headBytes = 0;
        lineStart = 0;
        part = null;
        if (partEnds) {
            listener.partEnded();
        }
    }

    /** One byte of what follows "--boundary"; returns the next position. */
    private int delimiterLine(byte b, int next) throws IOException {
        boolean padding = b == ' ' || b == '\t';
        if (state == State.BOUNDARY && b == '-') {
            state = State.CLOSE;
        } else if (state == State.CLOSE && b == '-') {
            state = State.EPILOGUE;
            listener.formEnded();
        } else if ((state == State.BOUNDARY || state == State.PADDING) && padding) {
            state = State.PADDING;
            countHeadByte();
        } else if ((state == State.BOUNDARY || state == State.PADDING) && b == '\r') {
            state = State.LINE_END;
        } else if (state == State.LINE_END && b == '\n') {
            if (++parts > limits.parts()) {
                throw MultipartException.tooLarge("Too many parts");
            }
            state = State.HEAD;
        } else {
            throw MultipartException.malformed("Malformed delimiter line");
        }
        return next;
    }

    /** Head bytes up to and including the empty line; then the part starts. */
    private int head(ByteBuffer in, int pos, int limit) throws IOException {
        for (int i = pos; i < limit; i++) {
            byte b = in.get(i);
            countHeadByte();
            byte previous = headLength == 0 ? 0 : head[headLength - 1];
            if (previous == '\r' && b != '\n') {
                throw MultipartException.malformed("Bare CR in part head");
            }
            if (b == '\n' && previous != '\r') {
                throw MultipartException.malformed("Bare LF in part head");
            }
            if (headLength == head.length) {
                head = Arrays.copyOf(head, Math.min(Math.max(256, head.length * 2), limits.partHead()));
            }
            head[headLength++] = b;
            if (b == '\n') {
                if (headLength - lineStart == 2) {
                    startPart();
                    return i + 1;
                }
                lineStart = headLength;
            }
        }
        return limit;
    }

    private void countHeadByte() {
        if (++headBytes > limits.partHead()) {
            throw MultipartException.tooLarge("Part head too large");
        }
    }

    private void startPart() throws IOException {
        Part started = PartHead.parse(head, headLength);
        part = started;
        partSize = 0;
        partLimit = started.isFile() ? limits.file() : limits.field();
        state = State.BODY;
        listener.partStarted(started);
    }
}
