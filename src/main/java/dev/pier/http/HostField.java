package dev.pier.http;

/**
 * The grammar of a {@code Host} field value (RFC 9110 §7.2): {@code uri-host [ ":" port ]} with
 * RFC 3986's {@code uri-host = IP-literal / IPv4address / reg-name} and {@code port = *DIGIT}.
 * Runs on the event loop for every request that has a Host field: one pass, a lookup table, no
 * allocation.
 *
 * <p>Beyond the ABNF, two choices:
 * <ul>
 * <li>An empty value is valid (RFC 9110 §7.2: a client sends it when the target has no
 *     authority), but an empty host before a port ({@code :80}) is not: RFC 9110 §4.2.1 has a
 *     recipient reject an {@code http} URI whose host is empty, and nginx refuses it too.</li>
 * <li>An empty port ({@code example.org:}) is valid, as {@code *DIGIT} says; RFC 3986 §3.2.3 only
 *     asks producers to leave the colon out. nginx accepts it as well. The port's value is not
 *     bounded: that is a matter for whoever uses it, not of syntax.</li>
 * </ul>
 * IPv4 addresses need no check of their own: {@code IPv4address} is a subset of
 * {@code reg-name}, which takes digits and dots, so {@code 999.1.1.1} is a valid (if useless)
 * name. Inside brackets the IPv6 grammar is checked in full, with dotted quads held to
 * {@code dec-octet}. Zone identifiers (RFC 6874, {@code [fe80::1%25eth0]}) are not part of
 * HTTP's grammar and are refused.
 */
public final class HostField {

    private static final byte DIGIT = 1;
    private static final byte HEX = 2;
    /** RFC 3986 {@code unreserved}: ALPHA, DIGIT, {@code - . _ ~}. */
    private static final byte UNRESERVED = 4;
    /** RFC 3986 {@code sub-delims}: {@code ! $ & ' ( ) * + , ; =}. */
    private static final byte SUB_DELIM = 8;

    /** Character classes of the ASCII range; anything above is in none. */
    private static final byte[] CLASSES = new byte[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            CLASSES[c] = DIGIT | HEX | UNRESERVED;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            byte hex = c <= 'f' ? HEX : 0;
            CLASSES[c] = (byte) (UNRESERVED | hex);
            CLASSES[c - 32] = (byte) (UNRESERVED | hex);
        }
        for (char c : "-._~".toCharArray()) {
            CLASSES[c] = UNRESERVED;
        }
        for (char c : "!$&'()*+,;=".toCharArray()) {
            CLASSES[c] = SUB_DELIM;
        }
    }

    private HostField() {
    }

    /** Whether {@code value}, already trimmed of surrounding whitespace, is a valid Host field value. */
    public static boolean isValid(String value) {
        int length = value.length();
        if (length == 0) {
            return true;
        }
        int hostEnd;
        if (value.charAt(0) == '[') {
            int close = value.indexOf(']');
            if (close < 0 || !isIpLiteralContent(value, 1, close)) {
                return false;
            }
            hostEnd = close + 1;
        } else {
            int colon = value.indexOf(':');
            hostEnd = colon < 0 ? length : colon;
            if (hostEnd == 0 || !isRegName(value, 0, hostEnd)) {
                return false;
            }
        }
        return hostEnd == length || (value.charAt(hostEnd) == ':' && allAre(value, hostEnd + 1, length, DIGIT));
    }

    /** {@code reg-name = *( unreserved / pct-encoded / sub-delims )}, {@code pct-encoded = "%" HEXDIG HEXDIG}. */
    private static boolean isRegName(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= to || !is(s.charAt(i + 1), HEX) || !is(s.charAt(i + 2), HEX)) {
                    return false;
                }
                i += 2;
            } else if (!is(c, UNRESERVED | SUB_DELIM)) {
                return false;
            }
        }
        return true;
    }

    /** Between the brackets: {@code IPv6address / IPvFuture}. */
    private static boolean isIpLiteralContent(String s, int from, int to) {
        return from < to && (s.charAt(from) == 'v' || s.charAt(from) == 'V') ? isIpFuture(s, from + 1, to) : isIpv6(s, from, to);
    }

    /** {@code IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )}, after the {@code v}. */
    private static boolean isIpFuture(String s, int from, int to) {
        int dot = from;
        while (dot < to && is(s.charAt(dot), HEX)) {
            dot++;
        }
        if (dot == from || dot == to || s.charAt(dot) != '.' || dot + 1 == to) {
            return false;
        }
        for (int i = dot + 1; i < to; i++) {
            char c = s.charAt(i);
            if (c != ':' && !is(c, UNRESERVED | SUB_DELIM)) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 3986's nine {@code IPv6address} alternatives, read as one rule: pieces of 1 to 4 hex
     * digits split by single colons, at most one {@code ::}, the last piece possibly a dotted quad
     * worth two; eight pieces without {@code ::}, at most seven with it (it stands for one or more).
     */
    private static boolean isIpv6(String s, int from, int to) {
        int pieces = 0;
        boolean compressed = false;
        int i = from;
        if (to - from >= 2 && s.charAt(from) == ':' && s.charAt(from + 1) == ':') {
            compressed = true;
            i += 2;
        }
        while (i < to) {
            int start = i;
            while (i < to && is(s.charAt(i), HEX)) {
                i++;
            }
            if (i < to && s.charAt(i) == '.') {
                return isIpv4(s, start, to) && (compressed ? pieces + 2 <= 7 : pieces + 2 == 8);
            }
            if (i == start || i - start > 4) {
                return false;
            }
            pieces++;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':' || ++i == to) {
                return false;
            }
            if (s.charAt(i) == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
            }
        }
        return compressed ? pieces <= 7 : pieces == 8;
    }

    /** {@code IPv4address}: four {@code dec-octet}s, 0 to 255 without leading zeros. */
    private static boolean isIpv4(String s, int from, int to) {
        int octets = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 3 && is(s.charAt(i), DIGIT)) {
                value = value * 10 + s.charAt(i) - '0';
                i++;
            }
            if (i == start || value > 255 || (i - start > 1 && s.charAt(start) == '0')) {
                return false;
            }
            octets++;
            if (i == to) {
                return octets == 4;
            }
            if (octets == 4 || s.charAt(i) != '.') {
                return false;
            }
            i++;
        }
    }

    private static boolean allAre(String s, int from, int to, int classes) {
        for (int i = from; i < to; i++) {
            if (!is(s.charAt(i), classes)) {
                return false;
            }
        }
        return true;
    }

    private static boolean is(char c, int classes) {
        return c < 128 && (CLASSES[c] & classes) != 0;
    }
}
