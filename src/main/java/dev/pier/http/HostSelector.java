package dev.pier.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which virtual host a {@code Host} field value names, as nginx's {@code server_name}: exact names
 * first, then {@code *.example.org} wildcards, the longest first. Pure and immutable: names in,
 * a value out, no I/O. Static files pick a host's root with it, and TLS a host's certificate by
 * the client's SNI, so both agree on which host a name is.
 *
 * <p>Names compare ignoring ASCII case, a port and one trailing dot ({@code Example.ORG.:8080} is
 * {@code example.org}). A wildcard {@code *.example.org} matches one or more labels before
 * {@code example.org} ({@code a.example.org}, {@code a.b.example.org}) but not {@code example.org}
 * itself, as nginx's does. The {@code *} may only be the whole first label: {@code a.*.b},
 * {@code *a.b} and {@code example.*} are refused.
 *
 * @param <T> what a host is served by
 */
public final class HostSelector<T> {

    /** Exact names, lower case, without a trailing dot. */
    private final Map<String, T> exact;
    /** Wildcards by the suffix after {@code *.}, lower case. */
    private final Map<String, T> wildcards;

    private HostSelector(Map<String, T> exact, Map<String, T> wildcards) {
        this.exact = exact;
        this.wildcards = wildcards;
    }

    /** One host: the names it answers to and what serves it. */
    public record Entry<T>(List<String> names, T value) {

        public Entry {
            names = List.copyOf(names);
        }
    }

    /** A host whose names cannot be served; the message is one sentence. */
    public static final class InvalidHostException extends IllegalArgumentException {

        private final int host;

        InvalidHostException(int host, String message) {
            super(message);
            this.host = host;
        }

        /** The index of the entry at fault. */
        public int host() {
            return host;
        }
    }

    /**
     * @throws InvalidHostException with one sentence naming the entry (by index) and the name
     *     that is not a host name or wildcard, or that an earlier entry already has
     */
    public static <T> HostSelector<T> of(List<Entry<T>> entries) {
        Map<String, T> exact = new HashMap<>();
        Map<String, T> wildcards = new HashMap<>();
        Map<String, Integer> owners = new HashMap<>();
        for (int index = 0; index < entries.size(); index++) {
            Entry<T> entry = entries.get(index);
            if (entry.names().isEmpty()) {
                throw new InvalidHostException(index, "Host " + index + " has no names: give it at least one, such as example.org or *.example.org.");
            }
            for (String name : entry.names()) {
                String normal = normalName(index, name);
                Integer owner = owners.putIfAbsent(normal, index);
                if (owner != null) {
                    throw new InvalidHostException(index, "Host " + index + "'s name " + name.trim() + " is already "
                            + (owner == index ? "one of its names" : "a name of host " + owner) + ": each name may belong to one host only.");
                }
                if (normal.startsWith("*.")) {
                    wildcards.put(normal.substring(2), entry.value());
                } else {
                    exact.put(normal, entry.value());
                }
            }
        }
        return new HostSelector<>(Map.copyOf(exact), Map.copyOf(wildcards));
    }

    /** A configured name checked and made lower case, without its trailing dot. */
    private static String normalName(int index, String name) {
        String normal = name == null ? "" : withoutTrailingDot(name.trim().toLowerCase(Locale.ROOT));
        String host = normal.startsWith("*.") ? normal.substring(2) : normal;
        boolean valid = !host.isEmpty() && host.indexOf('*') < 0 && HostField.isValid(host) && !host.startsWith(".") && !host.contains("..")
                && (host.startsWith("[") ? host.endsWith("]") && !normal.startsWith("*.") : host.indexOf(':') < 0);
        if (!valid) {
            throw new InvalidHostException(index, "Host " + index + "'s name " + (name == null ? "" : name.trim())
                    + " is not a host name without port, such as example.org, or a wildcard of whole first labels, such as *.example.org.");
        }
        return normal;
    }

    /**
     * What serves a request with this {@code Host} field value ({@code :authority} in HTTP/2), or
     * {@code null} when no name matches (no field, an empty one, an unknown name).
     */
    public T select(String hostField) {
        if (hostField == null || hostField.isEmpty()) {
            return null;
        }
        String host = hostName(hostField);
        T found = exact.get(host);
        if (found != null || wildcards.isEmpty()) {
            return found;
        }
        // Suffixes from the longest: a.b.example.org tries b.example.org, then example.org, then org.
        for (int dot = host.indexOf('.'); dot > 0; dot = host.indexOf('.', dot + 1)) {
            found = wildcards.get(host.substring(dot + 1));
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * The host a valid Host field value names, as hosts are compared: lower case, without its port
     * or one trailing dot ({@code Example.ORG.:8080} is {@code example.org}).
     */
    public static String hostName(String hostField) {
        return withoutTrailingDot(hostOnly(hostField).toLowerCase(Locale.ROOT));
    }

    private static String hostOnly(String hostField) {
        if (hostField.startsWith("[")) {
            int close = hostField.indexOf(']');
            return close < 0 ? hostField : hostField.substring(0, close + 1);
        }
        int colon = hostField.indexOf(':');
        return colon < 0 ? hostField : hostField.substring(0, colon);
    }

    private static String withoutTrailingDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** The exact names and wildcards, for logs. */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>(exact.keySet());
        wildcards.keySet().forEach(suffix -> names.add("*." + suffix));
        names.sort(null);
        return "HostSelector" + names;
    }
}
