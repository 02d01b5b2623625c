package dev.pier.http2.hpack;

import java.nio.ByteBuffer;

/**
 * The integer representation of RFC 7541 §5.1: an N-bit prefix in the first octet, then 7 bits a
 * continuation octet. Decoding accepts only what an {@code int} holds, in at most five continuation
 * octets (35 bits, enough for any int): longer runs, even of zeros, are abuse.
 */
final class PrefixInteger {

    /** The longest encoding of an int: the prefix octet and five continuation octets. */
    static final int MAX_LENGTH = 6;

    private static final int MAX_SHIFT = 28;

    private PrefixInteger() {
    }

    /**
     * @param first the representation's first octet, already read
     * @param prefixBits N, 1 to 8
     */
    static int decode(int first, int prefixBits, BlockReader in) throws HpackException {
        int max = (1 << prefixBits) - 1;
        int value = first & max;
        if (value < max) {
            return value;
        }
        long sum = value;
        for (int shift = 0; shift <= MAX_SHIFT; shift += 7) {
            int octet = in.readByte();
            sum += (long) (octet & 0x7F) << shift;
            if (sum > Integer.MAX_VALUE) {
                throw new HpackException("Integer beyond 2^31 - 1");
            }
            if ((octet & 0x80) == 0) {
                return (int) sum;
            }
        }
        throw new HpackException("Integer longer than " + MAX_LENGTH + " octets");
    }

    /**
     * @param pattern the bits of the first octet above the prefix, which say the representation
     * @param prefixBits N, 1 to 8
     * @param value not negative
     */
    static void encode(int pattern, int prefixBits, int value, ByteBuffer out) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.put((byte) (pattern | value));
            return;
        }
        out.put((byte) (pattern | max));
        value -= max;
        while (value >= 0x80) {
            out.put((byte) (value & 0x7F | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }
}
