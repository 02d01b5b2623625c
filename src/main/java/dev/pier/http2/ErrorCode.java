package dev.pier.http2;

/**
 * The error codes of RST_STREAM and GOAWAY frames (RFC 9113 §7). The codes run from 0 without a
 * gap, so a code is its constant's ordinal.
 */
public enum ErrorCode {
    NO_ERROR,
    PROTOCOL_ERROR,
    INTERNAL_ERROR,
    FLOW_CONTROL_ERROR,
    SETTINGS_TIMEOUT,
    STREAM_CLOSED,
    FRAME_SIZE_ERROR,
    REFUSED_STREAM,
    CANCEL,
    COMPRESSION_ERROR,
    CONNECT_ERROR,
    ENHANCE_YOUR_CALM,
    INADEQUATE_SECURITY,
    HTTP_1_1_REQUIRED;

    private static final ErrorCode[] BY_CODE = values();

    /** The 32-bit code sent on the wire. */
    public int code() {
        return ordinal();
    }

    /**
     * The constant for a code received from a peer. Codes this list does not know mean
     * {@link #INTERNAL_ERROR}, as §7 allows: they must trigger nothing special, so callers that
     * log a code keep the raw value too.
     */
    public static ErrorCode of(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : INTERNAL_ERROR;
    }
}
