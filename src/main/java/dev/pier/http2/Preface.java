package dev.pier.http2;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The client connection preface (RFC 9113 §3.4), which opens every HTTP/2 connection before any
 * frame. Checking it on partial input lets a cleartext port tell prior-knowledge HTTP/2 from
 * HTTP/1.1 (§3.3) after a byte or two: no HTTP/1.1 method is {@code PRI}, and only {@code PUT}
 * and {@code PATCH} even share its first letter.
 */
public final class Preface {

    /** What the bytes received so far are. */
    public enum Match {
        /** A proper prefix of the preface, possibly empty: wait for more. */
        PARTIAL,
        /** The whole preface: it is followed by frames. */
        COMPLETE,
        /** Not the preface: not HTTP/2 with prior knowledge. */
        MISMATCH
    }

    private static final byte[] BYTES = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    public static final int LENGTH = BYTES.length;

    private Preface() {
    }

    /**
     * Compares the bytes from the buffer's position with the preface, without consuming them:
     * once {@link Match#COMPLETE}, the caller moves past its {@link #LENGTH} bytes.
     */
    public static Match match(ByteBuffer in) {
        int available = Math.min(in.remaining(), LENGTH);
        for (int i = 0; i < available; i++) {
            if (in.get(in.position() + i) != BYTES[i]) {
                return Match.MISMATCH;
            }
        }
        return available == LENGTH ? Match.COMPLETE : Match.PARTIAL;
    }

    /** The preface, as a client sends it. */
    public static ByteBuffer bytes() {
        return ByteBuffer.wrap(BYTES).asReadOnlyBuffer();
    }
}
