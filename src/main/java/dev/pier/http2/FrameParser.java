package dev.pier.http2;

import java.nio.ByteBuffer;

/**
 * An incremental HTTP/2 frame parser (RFC 9113 §4, §6) for a server, fed what follows the client
 * preface: it consumes whatever bytes have arrived, reports each frame to a {@link FrameListener}
 * and keeps its place for the next call, so a frame can arrive in any number of pieces.
 *
 * <p>Memory stays small whatever the peer sends. DATA payloads and header-block fragments, up to
 * 16 MiB a frame, are handed out as slices of the caller's buffer as they arrive, never gathered.
 * The other frames are short ({@link ControlFrames}): each is read straight from the caller's
 * buffer when whole, or else gathered in a buffer just large enough for the SETTINGS entries
 * allowed or a GOAWAY's first 8 + {@link #MAX_DEBUG_DATA} bytes: 384 bytes by default.
 *
 * <p>It checks the framing: lengths, stream 0 or not, padding, that a header block's frames
 * follow each other on one stream, and that no stream depends on itself. A violation is thrown as an {@link Http2Exception}. After a
 * stream error the parser goes on: call it again and it skips whatever is left of the frame.
 * After a connection error it refuses further input. Stream states, flow control and flood limits
 * are the session's. Not thread-safe: one parser per connection.
 */
public final class FrameParser {

    /** SETTINGS entries per frame beyond which a peer is abusive rather than configuring (six settings exist). */
    public static final int DEFAULT_MAX_SETTINGS_ENTRIES = 64;

    /** The debug data of a GOAWAY kept for the listener; more is skipped, as it only ever goes to a log. */
    public static final int MAX_DEBUG_DATA = 256;

    private static final int PRIORITY_FIELDS_LENGTH = 5;

    /**
     * Where the parser is: in a frame header, in a DATA or header-block payload, which reads as
     * [pad length][priority fields] body [padding], in a control frame's payload, or in bytes to skip.
     */
    private enum Step { HEADER, PAD_LENGTH, PRIORITY_FIELDS, BODY_START, BODY, CONTROL, SKIP }

    private final int maxSettingsEntries;
    private final byte[] headerBytes = new byte[FrameWriter.HEADER_LENGTH];
    private final ByteBuffer control;
    private int maxFrameSize;
    private Step step = Step.HEADER;
    private boolean failed;
    private int headerFilled;

    // The frame being read.
    private FrameHeader frame;
    private int remaining;
    private int padding;
    private int priorityFields;
    /** The stream dependency of a HEADERS frame's priority fields, as far as read. */
    private int dependency;

    /** The stream whose header block must go on with a CONTINUATION, or 0 (§6.10). */
    private int continuationStream;

    /** A parser for the protocol's initial MAX_FRAME_SIZE and {@link #DEFAULT_MAX_SETTINGS_ENTRIES}. */
    public FrameParser() {
        this(Http2Settings.MIN_MAX_FRAME_SIZE, DEFAULT_MAX_SETTINGS_ENTRIES);
    }

    /**
     * @param maxFrameSize the MAX_FRAME_SIZE we advertise: a longer frame is a FRAME_SIZE_ERROR
     * @param maxSettingsEntries the most settings a SETTINGS frame may carry: more is ENHANCE_YOUR_CALM rather
     *     than PROTOCOL_ERROR, as such a frame is valid but only good for making us work
     */
    public FrameParser(int maxFrameSize, int maxSettingsEntries) {
        if (maxSettingsEntries < 6) {
            throw new IllegalArgumentException("A SETTINGS frame must be allowed the six settings, not " + maxSettingsEntries);
        }
        maxFrameSize(maxFrameSize);
        this.maxSettingsEntries = maxSettingsEntries;
        this.control = ByteBuffer.allocate(Math.max(6 * maxSettingsEntries, 8 + MAX_DEBUG_DATA));
    }

    /**
     * Changes the largest frame accepted. While a new MAX_FRAME_SIZE awaits the peer's ACK the
     * peer may use either value, so pass the larger of the two until then.
     */
    public void maxFrameSize(int maxFrameSize) {
        if (maxFrameSize < Http2Settings.MIN_MAX_FRAME_SIZE || maxFrameSize > Http2Settings.MAX_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("Invalid MAX_FRAME_SIZE " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * Parses what the buffer holds, reporting frames to the listener, and leaves the buffer's
     * position after the last byte used: all of them, since a partial frame's bytes are consumed
     * too. Payload slices handed out are valid until the buffer is next changed.
     */
    public void parse(ByteBuffer in, FrameListener listener) throws Http2Exception {
        if (failed) {
            throw new IllegalStateException("The connection failed: no more frames");
        }
        try {
            while (advance(in, listener)) {
                // Each step consumes what it can; the loop ends when one needs more bytes.
            }
        } catch (Http2Exception e) {
            failed = e.isConnectionError();
            throw e;
        }
    }

    /** Takes one step: false when it needs more bytes than the buffer has. */
    private boolean advance(ByteBuffer in, FrameListener listener) throws Http2Exception {
        switch (step) {
            case HEADER -> {
                int take = Math.min(in.remaining(), FrameWriter.HEADER_LENGTH - headerFilled);
                in.get(headerBytes, headerFilled, take);
                headerFilled += take;
                if (headerFilled < FrameWriter.HEADER_LENGTH) {
                    return false;
                }
                headerFilled = 0;
                startFrame(FrameHeader.read(headerBytes), listener);
            }
            case PAD_LENGTH -> {
                if (!in.hasRemaining()) {
                    return false;
                }
                padding = in.get() & 0xff;
                remaining--;
                if (padding > remaining - priorityFields) {
                    throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR, "Padding of " + padding + " bytes in a "
                            + frame.type() + " frame of " + frame.length());
                }
                step = priorityFields > 0 ? Step.PRIORITY_FIELDS : Step.BODY_START;
            }
            case PRIORITY_FIELDS -> {
                // The stream dependency is kept, for the one check made of it; the weight that follows is not.
                while (priorityFields > 0 && in.hasRemaining()) {
                    int octet = in.get() & 0xff;
                    if (priorityFields > 1) {
                        dependency = dependency << 8 | octet;
                    }
                    priorityFields--;
                    remaining--;
                }
                if (priorityFields > 0) {
                    return false;
                }
                if ((dependency & 0x7fff_ffff) == frame.streamId()) {
                    // A stream error under RFC 7540 §5.3.1, to which RFC 9113 §5.3.2 leaves the fields' meaning; but skipping
                    // the block would put the HPACK tables out of step, so the connection ends, as §5.4.1 allows.
                    throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR, "HEADERS frame makes stream " + frame.streamId()
                            + " depend on itself");
                }
                step = Step.BODY_START;
            }
            case BODY_START -> {
                step = Step.BODY;
                if (frame.type() == FrameType.DATA) {
                    listener.onDataStart(frame.streamId(), frame.length(), remaining - padding);
                } else {
                    listener.onHeadersStart(frame.streamId(), frame.has(Flags.END_STREAM));
                }
            }
            case BODY -> {
                return body(in, listener);
            }
            case CONTROL -> {
                ByteBuffer payload = controlPayload(in);
                if (payload == null) {
                    return false;
                }
                remaining -= payload.remaining();
                step = remaining > 0 ? Step.SKIP : Step.HEADER;
                ControlFrames.report(frame, payload, listener);
            }
            case SKIP -> {
                remaining -= skip(in, remaining);
                if (remaining > 0) {
                    return false;
                }
                step = Step.HEADER;
            }
        }
        return true;
    }

    /** Checks what can be checked before the payload, and chooses the first step into it. */
    private void startFrame(FrameHeader header, FrameListener listener) throws Http2Exception {
        frame = header;
        remaining = header.length();
        padding = 0;
        priorityFields = 0;
        dependency = 0;
        if (header.length() > maxFrameSize) {
            // §4.2 allows a stream error for some frames, but skipping megabytes for a peer that ignores our settings is not worth it.
            throw Http2Exception.connectionError(ErrorCode.FRAME_SIZE_ERROR, header.typeName() + " frame of " + header.length()
                    + " bytes exceeds " + maxFrameSize);
        }
        if (continuationStream != 0 && (header.type() != FrameType.CONTINUATION || header.streamId() != continuationStream)) {
            throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR, header.typeName() + " on stream " + header.streamId()
                    + " inside the header block of stream " + continuationStream);
        }
        // Whatever the frame, an error on its stream leaves the rest of it to be skipped.
        step = Step.SKIP;
        if (header.type() == null) {
            return;
        }
        switch (header.type()) {
            case DATA, HEADERS -> startPadded(header);
            case CONTINUATION -> {
                if (continuationStream == 0) {
                    throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR, "CONTINUATION on stream " + header.streamId()
                            + " without a header block to continue");
                }
                continuationStream = header.has(Flags.END_HEADERS) ? 0 : header.streamId();
                step = Step.BODY;
                listener.onContinuation(header.streamId());
            }
            case PUSH_PROMISE -> throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR, "PUSH_PROMISE from a client (§8.4)");
            default -> {
                control.clear().limit(ControlFrames.payloadToRead(header, maxSettingsEntries));
                step = Step.CONTROL;
            }
        }
    }

    /** DATA and HEADERS: either may be padded, and HEADERS may carry the deprecated priority fields, which are ignored. */
    private void startPadded(FrameHeader header) throws Http2Exception {
        header.requireStream();
        if (header.type() == FrameType.HEADERS) {
            continuationStream = header.has(Flags.END_HEADERS) ? 0 : header.streamId();
            priorityFields = header.has(Flags.PRIORITY) ? PRIORITY_FIELDS_LENGTH : 0;
        }
        boolean padded = header.has(Flags.PADDED);
        if (header.length() < (padded ? 1 : 0) + priorityFields) {
            throw header.frameSizeError();
        }
        step = padded ? Step.PAD_LENGTH : priorityFields > 0 ? Step.PRIORITY_FIELDS : Step.BODY_START;
    }

    /** Hands out the body as it comes, then skips the padding and ends the frame. */
    private boolean body(ByteBuffer in, FrameListener listener) {
        int take = Math.min(in.remaining(), remaining - padding);
        if (take > 0) {
            ByteBuffer slice = in.slice(in.position(), take);
            in.position(in.position() + take);
            remaining -= take;
            if (frame.type() == FrameType.DATA) {
                listener.onData(frame.streamId(), slice);
            } else {
                listener.onHeaderBlockFragment(frame.streamId(), slice);
            }
        }
        if (remaining > padding) {
            return false;
        }
        remaining -= skip(in, remaining);
        if (remaining > 0) {
            return false;
        }
        step = Step.HEADER;
        if (frame.type() == FrameType.DATA) {
            listener.onDataEnd(frame.streamId(), frame.has(Flags.END_STREAM));
        } else if (frame.has(Flags.END_HEADERS)) {
            listener.onHeadersEnd(frame.streamId());
        }
        return true;
    }

    /**
     * The control payload to report once it has all arrived, else null: a slice of the input when
     * it holds it all and nothing was gathered yet, otherwise gathered.
     */
    private ByteBuffer controlPayload(ByteBuffer in) {
        int needed = control.limit();
        if (control.position() == 0 && in.remaining() >= needed) {
            ByteBuffer payload = in.slice(in.position(), needed);
            in.position(in.position() + needed);
            return payload;
        }
        int take = Math.min(in.remaining(), control.remaining());
        control.put(in.slice(in.position(), take));
        in.position(in.position() + take);
        return control.hasRemaining() ? null : control.flip();
    }

    private static int skip(ByteBuffer in, int count) {
        int skipped = Math.min(in.remaining(), count);
        in.position(in.position() + skipped);
        return skipped;
    }
}
