package dev.pier.handler;

import dev.pier.http.HttpHeaders;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's address behind trusted proxies, as nginx's realip module finds it with
 * {@code set_real_ip_from} and {@code real_ip_recursive on}. From a peer that is not trusted, the
 * peer is the client and {@code Forwarded} and {@code X-Forwarded-For} are ignored, so nobody
 * else can claim another address. From a trusted peer, the hops are read from {@code Forwarded}'s
 * {@code for=} parameters (RFC 7239) or, without that field, from {@code X-Forwarded-For}, and
 * walked from the right, the nearest proxy first:
 * <ul>
 * <li>an address in a trusted range is another proxy of ours: go on to its left;</li>
 * <li>any other address is the client;</li>
 * <li>something that is not an address ({@code unknown}, an obfuscated {@code _name}, a host
 *     name, garbage, an element without {@code for=}) stops the walk: the client is the last
 *     address reached, the trusted hop that wrote it.</li>
 * </ul>
 * When every hop is trusted the leftmost is the client. Pure: no state, any thread.
 */
public final class TrustedProxies {

    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final AddressRange[] ranges;

    public TrustedProxies(List<AddressRange> ranges) {
        this.ranges = ranges.toArray(AddressRange[]::new);
    }

    public boolean isEmpty() {
        return ranges.length == 0;
    }

    public boolean trusts(InetAddress address) {
        for (AddressRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The client's address for a request from {@code peer} with these header fields. */
    public InetAddress clientAddress(InetAddress peer, HttpHeaders headers) {
        if (ranges.length == 0 || !trusts(peer)) {
            return peer;
        }
        List<String> forwarded = headers.all("Forwarded");
        List<String> hops = forwarded.isEmpty() ? forwardedFor(headers.all("X-Forwarded-For")) : forwardedElements(forwarded);
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = hopAddress(hops.get(i));
            if (hop == null) {
                return client;
            }
            client = hop;
            if (!trusts(hop)) {
                return hop;
            }
        }
        return client;
    }

    /** The comma-separated entries of every {@code X-Forwarded-For} field, in order. */
    static List<String> forwardedFor(List<String> fields) {
        List<String> hops = new ArrayList<>();
        for (String field : fields) {
            for (String hop : field.split(",", -1)) {
                hops.add(hop.strip());
            }
        }
        return hops;
    }

    /**
     * The {@code for=} value of each element of every {@code Forwarded} field, in order, unquoted;
     * an empty string for an element without one. Commas and semicolons inside a quoted string do
     * not split it (RFC 7239 §4); an unterminated quote spoils its element.
     */
    static List<String> forwardedElements(List<String> fields) {
        List<String> hops = new ArrayList<>();
        StringBuilder pair = new StringBuilder();
        for (String field : fields) {
            String forValue = "";
            boolean quoted = false;
            pair.setLength(0);
            for (int i = 0; i <= field.length(); i++) {
                if (i == field.length()) {
                    hops.add(quoted ? "" : forValueOf(pair, forValue));
                    break;
                }
                char c = field.charAt(i);
                if (quoted) {
                    if (c == '\\' && i + 1 < field.length()) {
                        pair.append(field.charAt(++i));
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        pair.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ';' || c == ',') {
                    forValue = forValueOf(pair, forValue);
                    pair.setLength(0);
                    if (c == ',') {
                        hops.add(forValue);
                        forValue = "";
                    }
                } else {
                    pair.append(c);
                }
            }
        }
        return hops;
    }

    /** The pair's value if it is {@code for=…}, else what was found before. */
    private static String forValueOf(CharSequence pair, String found) {
        String text = pair.toString();
        int equals = text.indexOf('=');
        return equals > 0 && text.substring(0, equals).strip().equalsIgnoreCase("for") ? text.substring(equals + 1).strip() : found;
    }

    /**
     * The address of one hop: {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code 2001:db8::1},
     * {@code [2001:db8::1]}, {@code [2001:db8::1]:4711}; {@code null} for anything else.
     */
    static InetAddress hopAddress(String hop) {
        String text = hop.strip();
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || (close + 1 < text.length() && !isPort(text.substring(close + 1)))) {
                return null;
            }
            return AddressRange.parseAddress(text.substring(0, close + 1));
        }
        int colon = text.indexOf(':');
        if (colon >= 0 && colon == text.lastIndexOf(':')) {
            // One colon: IPv4 with a port.
            return isPort(text.substring(colon)) ? AddressRange.parseAddress(text.substring(0, colon)) : null;
        }
        return AddressRange.parseAddress(text);
    }

    /** {@code :} and 1 to 5 digits, or RFC 7239's obfuscated port {@code :_name}. */
    private static boolean isPort(String text) {
        if (text.length() < 2 || text.charAt(0) != ':') {
            return false;
        }
        String port = text.substring(1);
        return port.startsWith("_") || (port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9'));
    }
}
