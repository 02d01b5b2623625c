package dev.pier.http2;

/**
 * The frame types of RFC 9113 §6. Their codes run from 0 without a gap, so a code is its
 * constant's ordinal. Other types belong to extensions this codec does not implement: the parser
 * skips them (§4.1, §5.5).
 */
public enum FrameType {
    DATA,
    HEADERS,
    PRIORITY,
    RST_STREAM,
    SETTINGS,
    PUSH_PROMISE,
    PING,
    GOAWAY,
    WINDOW_UPDATE,
    CONTINUATION;

    private static final FrameType[] BY_CODE = values();

    /** The 8-bit type code sent on the wire. */
    public int code() {
        return ordinal();
    }

    /** The type of a code, or {@code null} for an extension's type, which is to be ignored. */
    public static FrameType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
