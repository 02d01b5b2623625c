package dev.pier.http2;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Writes the frames a server sends (RFC 9113 §6) into a buffer, from its position, in network
 * byte order (a {@code ByteBuffer}'s default, which the buffer must keep). The caller makes room: each method says how many bytes it writes, and a buffer with less room throws
 * {@link java.nio.BufferOverflowException} with the frame half written. No padding, no priority:
 * a server has no use for them.
 */
public final class FrameWriter {

    /** Every frame starts with a header of this many bytes (§4.1). */
    public static final int HEADER_LENGTH = 9;

    private static final int MAX_LENGTH = Http2Settings.MAX_MAX_FRAME_SIZE;

    private FrameWriter() {
    }

    /**
     * The header of a DATA frame of {@code length} bytes, which the caller sends after it, from a
     * buffer or a file: {@value #HEADER_LENGTH} bytes. The caller keeps {@code length} within the
     * peer's MAX_FRAME_SIZE and the flow-control windows.
     */
    public static void dataHeader(ByteBuffer out, int streamId, int length, boolean endStream) {
        requireStream(streamId);
        header(out, length, FrameType.DATA, endStream ? Flags.END_STREAM : 0, streamId);
    }

    /**
     * A header block as one HEADERS frame, or as a HEADERS frame and CONTINUATION frames when it is
     * longer than the peer's {@code maxFrameSize} (§4.3), written together since no other frame
     * may come between them (§6.10): {@link #headersLength} bytes. The block is read from its
     * position to its limit.
     */
    public static void headers(ByteBuffer out, int streamId, ByteBuffer block, boolean endStream, int maxFrameSize) {
        requireStream(streamId);
        requireFrameSize(maxFrameSize);
        FrameType type = FrameType.HEADERS;
        int flags = endStream ? Flags.END_STREAM : 0;
        do {
            int length = Math.min(block.remaining(), maxFrameSize);
            boolean last = length == block.remaining();
            header(out, length, type, last ? flags | Flags.END_HEADERS : flags, streamId);
            out.put(block.slice(block.position(), length));
            block.position(block.position() + length);
            type = FrameType.CONTINUATION;
            flags = 0;
        } while (block.hasRemaining());
    }

    /** The bytes {@link #headers} writes for a block of {@code blockLength} bytes. */
    public static int headersLength(int blockLength, int maxFrameSize) {
        requireFrameSize(maxFrameSize);
        int frames = Math.max(1, (blockLength + maxFrameSize - 1) / maxFrameSize);
        return frames * HEADER_LENGTH + blockLength;
    }

    /**
     * A SETTINGS frame declaring {@code settings}: only those that differ from the defaults, which
     * the peer assumes until told otherwise. At most 45 bytes: a header and six settings.
     */
    public static void settings(ByteBuffer out, Http2Settings settings) {
        List<Http2Settings.Setting> changed = settings.changedFromDefaults();
        header(out, 6 * changed.size(), FrameType.SETTINGS, 0, 0);
        for (Http2Settings.Setting setting : changed) {
            out.putShort((short) setting.identifier()).putInt((int) setting.value());
        }
    }

    /** The acknowledgement of the peer's SETTINGS (§6.5.3): {@value #HEADER_LENGTH} bytes. */
    public static void settingsAck(ByteBuffer out) {
        header(out, 0, FrameType.SETTINGS, Flags.ACK, 0);
    }

    /** A PING, or with {@code ack} the answer to one, which carries its data back: 17 bytes. */
    public static void ping(ByteBuffer out, long data, boolean ack) {
        header(out, 8, FrameType.PING, ack ? Flags.ACK : 0, 0);
        out.putLong(data);
    }

    /**
     * A GOAWAY (§6.8): streams above {@code lastStreamId} were not and will not be processed. 17
     * bytes and the debug data, which is for the peer's logs: a short ASCII reason or nothing.
     */
    public static void goAway(ByteBuffer out, int lastStreamId, ErrorCode error, byte[] debugData) {
        if (lastStreamId < 0) {
            throw new IllegalArgumentException("Invalid last stream id " + lastStreamId);
        }
        header(out, 8 + debugData.length, FrameType.GOAWAY, 0, 0);
        out.putInt(lastStreamId).putInt(error.code()).put(debugData);
    }

    /** A RST_STREAM ending a stream with an error code (§6.4): 13 bytes. */
    public static void rstStream(ByteBuffer out, int streamId, ErrorCode error) {
        requireStream(streamId);
        header(out, 4, FrameType.RST_STREAM, 0, streamId);
        out.putInt(error.code());
    }

    /** A WINDOW_UPDATE of a stream's window, or the connection's on stream 0 (§6.9): 13 bytes. */
    public static void windowUpdate(ByteBuffer out, int streamId, int increment) {
        if (streamId < 0 || increment <= 0) {
            throw new IllegalArgumentException("Invalid WINDOW_UPDATE of " + increment + " on stream " + streamId);
        }
        header(out, 4, FrameType.WINDOW_UPDATE, 0, streamId);
        out.putInt(increment);
    }

    private static void header(ByteBuffer out, int length, FrameType type, int flags, int streamId) {
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException(type + " frame of " + length + " bytes exceeds " + MAX_LENGTH);
        }
        out.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length)
                .put((byte) type.code()).put((byte) flags).putInt(streamId);
    }

    private static void requireStream(int streamId) {
        if (streamId <= 0) {
            throw new IllegalArgumentException("Invalid stream id " + streamId);
        }
    }

    private static void requireFrameSize(int maxFrameSize) {
        if (maxFrameSize < Http2Settings.MIN_MAX_FRAME_SIZE || maxFrameSize > Http2Settings.MAX_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("Invalid MAX_FRAME_SIZE " + maxFrameSize);
        }
    }
}
