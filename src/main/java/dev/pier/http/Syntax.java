package dev.pier.http;

/**
 * Character classes of HTTP's grammar that every protocol's codec checks alike: field names
 * (RFC 9110 {@code tchar}) and request targets (RFC 3986's characters).
 */
public final class Syntax {

    private static final boolean[] TCHAR = new boolean[128];
    private static final boolean[] TARGET_CHAR = new boolean[128];

    static {
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        // RFC 3986 unreserved, sub-delims, ":", "@", "/", "?" and "%" for escapes.
        for (char c : "-._~!$&'()*+,;=:@/?%".toCharArray()) {
            TARGET_CHAR[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = TARGET_CHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = TARGET_CHAR[c] = true;
            TCHAR[c - 32] = TARGET_CHAR[c - 32] = true;
        }
    }

    private Syntax() {
    }

    /** A {@code tchar}: a character of a token, such as a method or a field name. */
    public static boolean isTokenChar(int c) {
        return c < 128 && c >= 0 && TCHAR[c];
    }

    /** A character a request target may hold as sent. */
    public static boolean isTargetChar(int c) {
        return c < 128 && c >= 0 && TARGET_CHAR[c];
    }

    /** A character a field value must not hold: a control other than HTAB, or DEL. */
    public static boolean isForbiddenInValue(int c) {
        return c < 0x20 && c != '\t' || c == 0x7f;
    }
}
