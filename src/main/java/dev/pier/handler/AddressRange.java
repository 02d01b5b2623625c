package dev.pier.handler;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A block of IP addresses in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or one
 * address ({@code 127.0.0.1}, a {@code /32} or {@code /128}). The JDK has no CIDR type, so this is
 * the small one trusted proxies, access rules and rate limits share. Literals only: a host name is
 * refused, never looked up, so parsing never touches DNS.
 *
 * <p>An IPv4 range also contains the IPv4-mapped IPv6 form of its addresses
 * ({@code ::ffff:10.1.2.3}), which dual-stack sockets may report.
 */
public final class AddressRange {

    private final String source;
    private final byte[] network;
    private final int prefix;

    private AddressRange(String source, byte[] network, int prefix) {
        this.source = source;
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * @throws IllegalArgumentException with a sentence saying what is wrong: not an IP literal, a
     *     prefix length out of range, or host bits set after the prefix ({@code 10.0.0.1/8})
     */
    public static AddressRange parse(String cidr) {
        String text = cidr == null ? "" : cidr.strip();
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = parseAddress(literal);
        if (address == null) {
            throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block, such as 10.0.0.0/8 or 2001:db8::/32");
        }
        byte[] bytes = address.getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = text.substring(slash + 1);
            if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(length) > bits) {
                throw new IllegalArgumentException("'" + cidr + "' has a prefix length that is not a number from 0 to " + bits);
            }
            prefix = Integer.parseInt(length);
        }
        for (int bit = prefix; bit < bits; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException("'" + cidr + "' has bits set after its /" + prefix + " prefix; the block starts at "
                        + startOf(bytes, prefix) + "/" + prefix);
            }
        }
        return new AddressRange(text, bytes, prefix);
    }

    /**
     * An IP literal as proxies write it in {@code X-Forwarded-For}: IPv4 dotted quads, IPv6 with
     * or without brackets; {@code null} for anything else (names, {@code unknown}, zone ids).
     */
    public static InetAddress parseAddress(String literal) {
        if (literal == null || literal.isEmpty() || literal.length() > 45) {
            return null;
        }
        String text = literal;
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        boolean v6 = text.indexOf(':') >= 0;
        if (v6 ? !isIpv6Shape(text) : !isDottedQuad(text)) {
            return null;
        }
        try {
            // A literal of these shapes is parsed, never resolved.
            return InetAddress.getByName(v6 ? "[" + text + "]" : text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            bytes = network.length == 4 ? ipv4Mapped(bytes) : null;
            if (bytes == null) {
                return false;
            }
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (bytes[whole] & mask) == (network[whole] & mask);
    }

    /** The prefix length: 32 or 128 for one address, 0 for every address of its family. */
    public int prefix() {
        return prefix;
    }

    @Override
    public String toString() {
        return source;
    }

    private static byte[] ipv4Mapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return null;
            }
        }
        if (v6[10] != (byte) 0xff || v6[11] != (byte) 0xff) {
            return null;
        }
        return new byte[] {v6[12], v6[13], v6[14], v6[15]};
    }

    private static boolean isDottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Hex digits, colons and (for an embedded IPv4 tail) dots; the JDK checks the rest. */
    private static boolean isIpv6Shape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex && c != ':' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static String startOf(byte[] bytes, int prefix) {
        byte[] start = bytes.clone();
        for (int bit = prefix; bit < start.length * 8; bit++) {
            start[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(start).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
