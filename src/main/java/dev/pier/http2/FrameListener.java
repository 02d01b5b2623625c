package dev.pier.http2;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * What {@link FrameParser} reports, frame by frame, in the order of the wire. It polices the
 * framing only; stream states, flow-control windows and floods are the session's, so every frame
 * is reported, empty or repeated ones too, for the session to count.
 *
 * <p>Buffers handed out are slices of the parser's input, valid only during the call: keep the
 * bytes, not the buffer.
 */
public interface FrameListener {

    /**
     * A DATA frame starts. {@code length} is its whole payload, pad length and padding included:
     * what flow control counts (RFC 9113 §6.9.1). {@code dataLength} is what {@link #onData} will
     * deliver; the difference, the padding, reaches no one and can be credited back at once.
     */
    void onDataStart(int streamId, int length, int dataLength);

    /** Some of the DATA frame's data, as it arrived: never empty. */
    void onData(int streamId, ByteBuffer data);

    /** The DATA frame is over, padding consumed; {@code endStream} if it ends the stream. */
    void onDataEnd(int streamId, boolean endStream);

    /**
     * A HEADERS frame starts a header block, its padding and deprecated priority fields stripped.
     * {@code endStream} if the block, whatever CONTINUATION frames it takes, ends the stream.
     */
    void onHeadersStart(int streamId, boolean endStream);

    /** A CONTINUATION frame carries on the open header block. */
    void onContinuation(int streamId);

    /** Some bytes of the header block, as they arrived, for the HPACK decoder: never empty. */
    void onHeaderBlockFragment(int streamId, ByteBuffer fragment);

    /** The header block is complete (END_HEADERS): decode what the fragments added up to. */
    void onHeadersEnd(int streamId);

    /**
     * A PRIORITY frame, deprecated by RFC 9113 §5.3.2: its fields are ignored, but for the
     * parser's check that the stream does not depend on itself.
     */
    void onPriority(int streamId);

    /** The peer resets a stream; {@link ErrorCode#of} reads its raw code. */
    void onRstStream(int streamId, long errorCode);

    /** A SETTINGS frame with the settings it carries, in order, possibly none: apply them, then ACK. */
    void onSettings(List<Http2Settings.Setting> settings);

    /** The peer acknowledges our settings. */
    void onSettingsAck();

    /** A PING, to answer with the same data, or the answer to ours ({@code ack}). */
    void onPing(long data, boolean ack);

    /**
     * The peer goes away: streams above {@code lastStreamId} were not processed.
     * {@code debugData} is the first {@link FrameParser#MAX_DEBUG_DATA} bytes at most.
     */
    void onGoAway(int lastStreamId, long errorCode, ByteBuffer debugData);

    /** A flow-control window grows: a stream's, or the connection's for stream 0. Never by 0. */
    void onWindowUpdate(int streamId, int increment);
}
