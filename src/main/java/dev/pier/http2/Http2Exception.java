package dev.pier.http2;

/**
 * A violation of RFC 9113 by the peer, with the code to report it under (§5.4). A connection
 * error ends the connection with a GOAWAY; a stream error only resets its stream with a
 * RST_STREAM, and the connection goes on. Hostile peers can cause these at will, so they carry no
 * stack trace.
 */
public final class Http2Exception extends Exception {

    private final ErrorCode error;
    private final int streamId;

    private Http2Exception(ErrorCode error, int streamId, String message) {
        super(message, null, false, false);
        this.error = error;
        this.streamId = streamId;
    }

    /** An error that leaves the connection unusable (§5.4.1). */
    public static Http2Exception connectionError(ErrorCode error, String message) {
        return new Http2Exception(error, 0, message);
    }

    /** An error confined to one stream (§5.4.2). */
    public static Http2Exception streamError(int streamId, ErrorCode error, String message) {
        if (streamId <= 0) {
            throw new IllegalArgumentException("A stream error needs a stream, not " + streamId);
        }
        return new Http2Exception(error, streamId, message);
    }

    public ErrorCode error() {
        return error;
    }

    /** The stream to reset; 0 for a connection error. */
    public int streamId() {
        return streamId;
    }

    public boolean isConnectionError() {
        return streamId == 0;
    }

    @Override
    public String toString() {
        return (isConnectionError() ? "connection error " : "stream error on " + streamId + " ") + error + ": " + getMessage();
    }
}
