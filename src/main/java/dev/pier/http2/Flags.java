package dev.pier.http2;

/**
 * The frame flags of RFC 9113 §6, as bits of the header's flags octet. A flag means something
 * only for the frame types that define it; the others ignore it (§4.1).
 */
public final class Flags {

    /** DATA, HEADERS: the last frame the peer sends on the stream. */
    public static final int END_STREAM = 0x1;

    /** SETTINGS, PING: an acknowledgement, not a new frame to answer. */
    public static final int ACK = 0x1;

    /** HEADERS, CONTINUATION: the header block ends with this frame. */
    public static final int END_HEADERS = 0x4;

    /** DATA, HEADERS: a pad-length octet leads the payload and padding ends it. */
    public static final int PADDED = 0x8;

    /** HEADERS: the deprecated priority fields follow the pad length. */
    public static final int PRIORITY = 0x20;

    private Flags() {
    }
}
