package dev.pier.http2;

import java.nio.ByteBuffer;

/**
 * The frames whose short payload has a fixed layout: PRIORITY, RST_STREAM, SETTINGS, PING, GOAWAY
 * and WINDOW_UPDATE (RFC 9113 §6.3–§6.9). What their header must be, checked before the payload
 * is read, and what the payload says, once {@link FrameParser} has it whole.
 */
final class ControlFrames {

    private static final int PRIORITY_LENGTH = 5;

    private ControlFrames() {
    }

    /**
     * Checks a control frame's header, and says how many payload bytes to read for {@link #report}:
     * all of them, but for a GOAWAY's debug data beyond {@link FrameParser#MAX_DEBUG_DATA}.
     */
    static int payloadToRead(FrameHeader header, int maxSettingsEntries) throws Http2Exception {
        int length = header.length();
        switch (header.type()) {
            case PRIORITY -> {
                header.requireStream();
                if (length != PRIORITY_LENGTH) {
                    throw Http2Exception.streamError(header.streamId(), ErrorCode.FRAME_SIZE_ERROR, "PRIORITY frame of " + length + " bytes");
                }
            }
            case RST_STREAM -> {
                header.requireStream();
                header.requireLength(4);
            }
            case SETTINGS -> {
                header.requireConnection();
                if (header.has(Flags.ACK) && length != 0) {
                    throw Http2Exception.connectionError(ErrorCode.FRAME_SIZE_ERROR, "SETTINGS ACK with a payload of " + length + " bytes");
                }
                if (length % 6 != 0) {
                    throw header.frameSizeError();
                }
                if (length / 6 > maxSettingsEntries) {
                    throw Http2Exception.connectionError(ErrorCode.ENHANCE_YOUR_CALM, "SETTINGS frame of " + length / 6
                            + " entries, more than " + maxSettingsEntries);
                }
            }
            case PING -> {
                header.requireConnection();
                header.requireLength(8);
            }
            case GOAWAY -> {
                header.requireConnection();
                if (length < 8) {
                    throw header.frameSizeError();
                }
                return Math.min(length, 8 + FrameParser.MAX_DEBUG_DATA);
            }
            case WINDOW_UPDATE -> header.requireLength(4);
            default -> throw new IllegalArgumentException("Not a control frame: " + header.type());
        }
        return length;
    }

    /**
     * Tells the listener what the frame says; a WINDOW_UPDATE of 0 is an error (§6.9), and so is a
     * stream made to depend on itself (RFC 7540 §5.3.1, to which RFC 9113 §5.3.2 leaves the fields' meaning).
     */
    static void report(FrameHeader header, ByteBuffer payload, FrameListener listener) throws Http2Exception {
        int streamId = header.streamId();
        switch (header.type()) {
            case PRIORITY -> {
                if ((payload.getInt() & 0x7fff_ffff) == streamId) {
                    throw Http2Exception.streamError(streamId, ErrorCode.PROTOCOL_ERROR, "PRIORITY frame makes stream " + streamId
                            + " depend on itself");
                }
                listener.onPriority(streamId);
            }
            case RST_STREAM -> listener.onRstStream(streamId, payload.getInt() & 0xffff_ffffL);
            case SETTINGS -> {
                if (header.has(Flags.ACK)) {
                    listener.onSettingsAck();
                } else {
                    listener.onSettings(Http2Settings.parse(payload));
                }
            }
            case PING -> listener.onPing(payload.getLong(), header.has(Flags.ACK));
            case GOAWAY -> listener.onGoAway(payload.getInt() & 0x7fff_ffff, payload.getInt() & 0xffff_ffffL, payload.slice());
            case WINDOW_UPDATE -> {
                int increment = payload.getInt() & 0x7fff_ffff;
                if (increment == 0) {
                    String message = "WINDOW_UPDATE of 0 on stream " + streamId;
                    throw streamId == 0
                            ? Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR, message)
                            : Http2Exception.streamError(streamId, ErrorCode.PROTOCOL_ERROR, message);
                }
                listener.onWindowUpdate(streamId, increment);
            }
            default -> throw new IllegalArgumentException("Not a control frame: " + header.type());
        }
    }
}
