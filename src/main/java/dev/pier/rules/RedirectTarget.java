package dev.pier.rules;

import dev.pier.http.HostField;
import dev.pier.http.HostSelector;
import dev.pier.http.Syntax;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A rule's {@code to}: a path ({@code /new/{rest}}) or an absolute URL whose scheme and host are
 * written out ({@code https://example.test/{rest}}, {@code https://example.test{path}}), with
 * {@code {name}} replaced by the capture of that name and {@code {path}} by the whole request path.
 *
 * <p>Only the rule's own text gives the origin: a placeholder may not stand where the scheme or
 * the host is, and the one right after the host can only be {@code {path}}, which always starts
 * with {@code /}. A path target that comes out starting with {@code //} (which a browser would
 * read as another host) loses its extra slashes. Captures hold only RFC 3986 characters, so no
 * CR, LF or other control character can reach the {@code Location} field.
 */
final class RedirectTarget {

    private record Part(boolean placeholder, String text) {
    }

    private final String source;
    private final Part[] parts;
    /** Lower case, port removed; {@code null} for a path target. */
    private final String host;

    private RedirectTarget(String source, Part[] parts, String host) {
        this.source = source;
        this.parts = parts;
        this.host = host;
    }

    /**
     * @param captured what the rule's {@code from} captures
     * @throws IllegalArgumentException with the end of a sentence that begins "to ..."
     */
    static RedirectTarget compile(String target, List<String> captured) {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("is missing: give a path such as /new/{rest} or a URL such as https://example.test/{rest}");
        }
        int pathStart = 0;
        String host = null;
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            int authority = lower.indexOf("://") + 3;
            int end = authority;
            while (end < target.length() && "/?#{".indexOf(target.charAt(end)) < 0) {
                end++;
            }
            String hostAndPort = target.substring(authority, end);
            if (hostAndPort.isEmpty()) {
                throw new IllegalArgumentException("has no host after " + target.substring(0, authority) + ": write the host out, as in "
                        + target.substring(0, authority) + "example.test/");
            }
            if (hostAndPort.indexOf('@') >= 0 || hostAndPort.indexOf('}') >= 0 || !HostField.isValid(hostAndPort)) {
                throw new IllegalArgumentException("has '" + hostAndPort + "' where a host name (and port) belongs");
            }
            if (end < target.length() && target.charAt(end) == '{' && !target.startsWith("{" + PathCaptures.WHOLE_PATH + "}", end)) {
                throw new IllegalArgumentException("puts a capture right after the host, where it could change the host: write a / before it");
            }
            host = HostSelector.hostName(hostAndPort);
            pathStart = end;
        } else if (!target.startsWith("/") && !target.startsWith("{" + PathCaptures.WHOLE_PATH + "}")) {
            throw new IllegalArgumentException("must be a path starting with / or a URL starting with http:// or https://");
        } else if (target.startsWith("//") || target.startsWith("/\\")) {
            throw new IllegalArgumentException("starts with //, which browsers read as another host: write the scheme, as in https://host/");
        }
        List<Part> parts = new ArrayList<>();
        parts.add(new Part(false, target.substring(0, pathStart)));
        int i = pathStart;
        while (i < target.length()) {
            char c = target.charAt(i);
            if (c == '{') {
                int close = target.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("has a { without its }");
                }
                String name = target.substring(i + 1, close);
                if (name.startsWith("*")) {
                    name = name.substring(1);
                }
                if (!name.equals(PathCaptures.WHOLE_PATH) && !captured.contains(name)) {
                    throw new IllegalArgumentException("uses {" + name + "}, which from does not capture"
                            + (captured.isEmpty() ? "" : " (it captures " + String.join(", ", captured.stream().map(n -> "{" + n + "}").toList()) + ")"));
                }
                parts.add(new Part(true, name));
                i = close + 1;
            } else {
                if (c == '}') {
                    throw new IllegalArgumentException("has a } without its {");
                }
                if (c == '#') {
                    throw new IllegalArgumentException("has a fragment (#), which redirects here do not carry");
                }
                if (!Syntax.isTargetChar(c)) {
                    throw new IllegalArgumentException("holds '" + c + "', which a URL does not: percent-encode it");
                }
                parts.add(new Part(false, String.valueOf(c)));
                i++;
            }
        }
        return new RedirectTarget(target, merge(parts), host);
    }

    private static Part[] merge(List<Part> parts) {
        List<Part> merged = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (Part part : parts) {
            if (part.placeholder) {
                if (!literal.isEmpty()) {
                    merged.add(new Part(false, literal.toString()));
                    literal.setLength(0);
                }
                merged.add(part);
            } else {
                literal.append(part.text);
            }
        }
        if (!literal.isEmpty()) {
            merged.add(new Part(false, literal.toString()));
        }
        return merged.toArray(Part[]::new);
    }

    /** The host an absolute target names, lower case without port; {@code null} for a path target. */
    String host() {
        return host;
    }

    /**
     * The location for a matched request.
     *
     * @param captures raw captures of the rule's {@code from}
     * @param path the request's normalised path, for {@code {path}}
     * @param query the request's raw query to append, or {@code null}
     */
    String expand(Map<String, String> captures, String path, String query) {
        StringBuilder location = new StringBuilder(source.length() + path.length() + (query == null ? 0 : query.length() + 1));
        for (Part part : parts) {
            if (!part.placeholder) {
                location.append(part.text);
            } else if (part.text.equals(PathCaptures.WHOLE_PATH)) {
                location.append(path);
            } else {
                location.append(captures.getOrDefault(part.text, ""));
            }
        }
        if (host == null) {
            // A path target: never protocol-relative, whatever a capture held.
            int slashes = 0;
            while (slashes < location.length() && (location.charAt(slashes) == '/' || location.charAt(slashes) == '\\')) {
                slashes++;
            }
            if (slashes > 1) {
                location.replace(0, slashes, "/");
            }
        }
        if (query != null && !query.isEmpty()) {
            location.append(location.indexOf("?") >= 0 ? '&' : '?').append(query);
        }
        return encodeOthers(location);
    }

    /** Percent-encodes, as UTF-8, any character a URL may not hold as it is; none can come from a request, but nothing else reaches the field. */
    private static String encodeOthers(CharSequence location) {
        for (int i = 0; i < location.length(); i++) {
            char c = location.charAt(i);
            if (!Syntax.isTargetChar(c)) {
                StringBuilder encoded = new StringBuilder(location.length() + 8);
                for (byte b : location.toString().getBytes(StandardCharsets.UTF_8)) {
                    char e = (char) (b & 0xff);
                    if (Syntax.isTargetChar(e)) {
                        encoded.append(e);
                    } else {
                        encoded.append('%').append(Character.toUpperCase(Character.forDigit(e >> 4, 16)))
                                .append(Character.toUpperCase(Character.forDigit(e & 0xf, 16)));
                    }
                }
                return encoded.toString();
            }
        }
        return location.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
