package dev.pier.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One response as it came off the wire: status line, header fields (names compared ignoring case)
 * and the body its {@code Content-Length} framed.
 */
public record RawResponse(String statusLine, int status, Map<String, List<String>> headers, byte[] body) {

    /** The first value of a field, or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? null : values.get(0);
    }

    /** Every value of a field, in order of arrival; empty if absent. */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Fields by lower-cased name, so lookups and comparisons ignore case; values in order of arrival. */
    static Map<String, List<String>> newHeaders() {
        return new TreeMap<>();
    }

    static void addHeader(Map<String, List<String>> headers, String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> new ArrayList<>(1)).add(value);
    }

    @Override
    public String toString() {
        return statusLine + " " + headers + " (" + body.length + " body bytes)";
    }
}
