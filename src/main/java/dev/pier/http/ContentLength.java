package dev.pier.http;

/** The value of {@code Content-Length} (RFC 9110 §8.6), as both protocols read it. */
public final class ContentLength {

    private ContentLength() {
    }

    /** 1*DIGIT as a long; -1 if not digits; {@link Long#MAX_VALUE} if too large to matter. */
    public static long parse(String digits) {
        if (digits.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (value > (Long.MAX_VALUE - 9) / 10) {
                return Long.MAX_VALUE;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
