package dev.pier.http2;

/**
 * The 9-byte header that starts every frame (RFC 9113 §4.1), and the checks on it shared by
 * several frame types.
 */
record FrameHeader(int length, int typeCode, int flags, int streamId) {

    /** Decodes a header; the reserved bit of the stream id is ignored (§4.1). */
    static FrameHeader read(byte[] bytes) {
        int length = (bytes[0] & 0xff) << 16 | (bytes[1] & 0xff) << 8 | bytes[2] & 0xff;
        int streamId = (bytes[5] & 0x7f) << 24 | (bytes[6] & 0xff) << 16 | (bytes[7] & 0xff) << 8 | bytes[8] & 0xff;
        return new FrameHeader(length, bytes[3] & 0xff, bytes[4] & 0xff, streamId);
    }

    /** The frame's type, or null for an extension's. */
    FrameType type() {
        return FrameType.of(typeCode);
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** A frame that belongs to a stream must not come on stream 0. */
    void requireStream() throws Http2Exception {
        if (streamId == 0) {
            throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR, type() + " frame on stream 0");
        }
    }

    /** A frame about the whole connection must come on stream 0. */
    void requireConnection() throws Http2Exception {
        if (streamId != 0) {
            throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR, type() + " frame on stream " + streamId + ", not 0");
        }
    }

    void requireLength(int expected) throws Http2Exception {
        if (length != expected) {
            throw frameSizeError();
        }
    }

    /** A payload too short for the frame's fields or of the wrong size (§4.2). */
    Http2Exception frameSizeError() {
        return Http2Exception.connectionError(ErrorCode.FRAME_SIZE_ERROR, type() + " frame of " + length + " bytes");
    }

    /** For messages: the type's name, or its code when unknown. */
    String typeName() {
        FrameType type = type();
        return type == null ? "unknown frame type 0x" + Integer.toHexString(typeCode) : type.name();
    }
}
