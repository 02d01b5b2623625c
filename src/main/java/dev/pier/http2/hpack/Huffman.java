package dev.pier.http2.hpack;

import java.nio.ByteBuffer;

/**
 * The static Huffman code of RFC 7541 Appendix B. The code is canonical (codes of one length are
 * consecutive, in symbol order, and follow on from the shorter ones), so the table below holds
 * only the lengths and the codes are rebuilt from them.
 *
 * <p>Decoding walks the code tree a nibble at a time: each of the tree's 256 inner nodes is a
 * state with 16 precomputed transitions, which say the next state and the symbol completed on the
 * way, if any (codes are at least 5 bits, so at most one per nibble). Reaching EOS is an error,
 * and a string must end at the root or at most 7 one-bits below it: the EOS prefix as padding.
 */
final class Huffman {

    private static final int EOS = 256;

    /** Code lengths in bits, by symbol: octets 0 to 255, then EOS. */
    private static final byte[] LENGTHS = {
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
        30,
    };

    static final int[] CODES = canonicalCodes();

    // A transition: the next state in the low 8 bits, the symbol completed in the next 8, and flags.
    private static final int EMITS = 1 << 16;
    private static final int FAILS = 1 << 17;
    private static final int STATES = 256;
    private static final int[] TRANSITIONS = new int[STATES * 16];
    /** States where a string may end: the root, or 1 to 7 one-bits below it. */
    private static final boolean[] ACCEPTING = new boolean[STATES];

    static {
        buildDecoder();
    }

    private Huffman() {
    }

    /** The octet a character is sent as: ISO-8859-1, and {@code ?} beyond it, as HTTP/1.1 heads are written. */
    static int octet(char c) {
        return c <= 0xFF ? c : '?';
    }

    /** The length of {@code text} Huffman-encoded, in octets. */
    static int encodedLength(CharSequence text) {
        long bits = 0;
        for (int i = 0; i < text.length(); i++) {
            bits += LENGTHS[octet(text.charAt(i))];
        }
        return (int) ((bits + 7) >>> 3);
    }

    /** Writes {@link #encodedLength} octets: the codes, then the most significant bits of EOS as padding. */
    static void encode(CharSequence text, ByteBuffer out) {
        long pending = 0; // only the low `count` bits matter; older ones shift out unused
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            int symbol = octet(text.charAt(i));
            pending = pending << LENGTHS[symbol] | CODES[symbol];
            count += LENGTHS[symbol];
            while (count >= 8) {
                count -= 8;
                out.put((byte) (pending >>> count));
            }
        }
        if (count > 0) {
            out.put((byte) (pending << (8 - count) | 0xFF >>> count));
        }
    }

    /** Decodes {@code length} octets of the block into {@code out}. */
    static void decode(BlockReader in, int length, StringLiteral out) throws HpackException {
        int state = 0;
        for (int i = 0; i < length; i++) {
            int octet = in.readByte();
            state = step(state, octet >>> 4, out);
            state = step(state, octet & 0x0F, out);
        }
        if (!ACCEPTING[state]) {
            throw new HpackException("Huffman string padded with more than 7 bits or with bits other than ones");
        }
    }

    private static int step(int state, int nibble, StringLiteral out) throws HpackException {
        int transition = TRANSITIONS[state << 4 | nibble];
        if ((transition & FAILS) != 0) {
            throw new HpackException("Huffman string contains EOS");
        }
        if ((transition & EMITS) != 0) {
            out.append(transition >>> 8 & 0xFF);
        }
        return transition & 0xFF;
    }

    private static int[] canonicalCodes() {
        int[] codes = new int[EOS + 1];
        int code = 0;
        int previousLength = 0;
        for (int length = 1; length <= 30; length++) {
            for (int symbol = 0; symbol <= EOS; symbol++) {
                if (LENGTHS[symbol] == length) {
                    code <<= length - previousLength;
                    previousLength = length;
                    codes[symbol] = code++;
                }
            }
        }
        return codes;
    }

    /** Builds the tree (inner nodes 1 to 255 after the root 0; a leaf is {@code ~symbol}), then the nibble transitions. */
    private static void buildDecoder() {
        int[][] children = new int[STATES][2];
        int nodes = 1;
        for (int symbol = 0; symbol <= EOS; symbol++) {
            int node = 0;
            for (int bit = LENGTHS[symbol] - 1; bit > 0; bit--) {
                int branch = CODES[symbol] >>> bit & 1;
                if (children[node][branch] == 0) {
                    children[node][branch] = nodes++;
                }
                node = children[node][branch];
            }
            children[node][CODES[symbol] & 1] = ~symbol;
        }
        for (int state = 0; state < STATES; state++) {
            for (int nibble = 0; nibble < 16; nibble++) {
                int node = state;
                int transition = 0;
                for (int bit = 3; bit >= 0; bit--) {
                    int child = children[node][nibble >>> bit & 1];
                    if (child >= 0) {
                        node = child;
                    } else if (~child == EOS) {
                        transition = FAILS;
                        break;
                    } else {
                        transition = EMITS | ~child << 8;
                        node = 0;
                    }
                }
                TRANSITIONS[state << 4 | nibble] = transition | node;
            }
        }
        int node = 0;
        ACCEPTING[node] = true;
        for (int ones = 1; ones <= 7; ones++) {
            node = children[node][1];
            ACCEPTING[node] = true;
        }
    }
}
