package dev.pier.http2;

import static dev.pier.test.Octets.bytes;
import static dev.pier.test.Octets.concat;

/**
 * Frames written byte by byte, as a peer might send them: padded, with priority fields, of
 * unknown types or simply wrong, which {@link FrameWriter} never produces.
 */
final class RawFrames {

    static final int UNKNOWN_TYPE = 0xbe;

    private RawFrames() {
    }

    /** A frame whose length is that of its payload. */
    static byte[] frame(FrameType type, int flags, int streamId, byte[] payload) {
        return frame(type.code(), flags, streamId, payload);
    }

    static byte[] frame(int type, int flags, int streamId, byte[] payload) {
        return concat(header(payload.length, type, flags, streamId), payload);
    }

    /** A frame header alone, announcing a payload of {@code length} bytes. */
    static byte[] header(int length, int type, int flags, int streamId) {
        return new byte[] {(byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags,
                (byte) (streamId >>> 24), (byte) (streamId >>> 16), (byte) (streamId >>> 8), (byte) streamId};
    }

    /** A 32-bit value, big-endian. */
    static byte[] int32(long value) {
        return bytes((int) (value >>> 24), (int) (value >>> 16), (int) (value >>> 8), (int) value);
    }

    /** One SETTINGS entry: a 16-bit identifier and a 32-bit value. */
    static byte[] setting(int identifier, long value) {
        return concat(bytes(identifier >>> 8, identifier), int32(value));
    }
}
