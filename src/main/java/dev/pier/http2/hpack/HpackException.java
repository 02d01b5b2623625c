package dev.pier.http2.hpack;

/**
 * A header block that cannot be decoded: after it the decoder's table may differ from the peer's,
 * so the session ends the connection with COMPRESSION_ERROR (RFC 9113 §4.3). Without a stack
 * trace: peers can cause it at will.
 */
public final class HpackException extends Exception {

    public HpackException(String message) {
        super(message, null, false, false);
    }
}
