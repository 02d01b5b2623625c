package dev.pier.rules;

import dev.pier.http.Syntax;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule's {@code from}: the syntax of Pier's route templates. Literal segments, {@code {name}} for
 * one segment, and last, optionally, {@code {*name}} for the rest of the path (zero or more
 * segments, a trailing slash included). A trailing {@code /} in the pattern asks the path to end
 * with one; without it the path must not ({@code /docs} and {@code /docs/} are two paths).
 *
 * <p>Matches a path {@link RequestPath#normalize normalised} first and captures it raw: a capture is
 * still percent-encoded, as it goes back into a {@code Location} field. Literal segments compare
 * with the path as normalised (escapes of unreserved characters decoded, others as sent).
 */
final class PathCaptures {

    /** Reserved in targets for the whole path; no capture may take the name. */
    static final String WHOLE_PATH = "path";

    private enum Kind { LITERAL, ONE, REST }

    private record Segment(Kind kind, String text) {
    }

    private final String source;
    private final Segment[] segments;
    private final boolean trailingSlash;

    private PathCaptures(String source, Segment[] segments, boolean trailingSlash) {
        this.source = source;
        this.segments = segments;
        this.trailingSlash = trailingSlash;
    }

    /** @throws IllegalArgumentException with the end of a sentence that begins "from ..." */
    static PathCaptures compile(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("is missing: give a path pattern such as /old/{*rest}");
        }
        if (pattern.charAt(0) != '/') {
            throw new IllegalArgumentException("must start with /");
        }
        List<Segment> segments = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String[] parts = pattern.substring(1).split("/", -1);
        boolean trailingSlash = parts.length > 1 && parts[parts.length - 1].isEmpty();
        int count = trailingSlash ? parts.length - 1 : parts.length;
        for (int i = 0; i < count; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                if (count == 1) {
                    continue;
                }
                throw new IllegalArgumentException("has an empty segment (//)");
            }
            Segment segment;
            if (part.startsWith("{*") && part.endsWith("}")) {
                if (i != count - 1 || trailingSlash) {
                    throw new IllegalArgumentException("has " + part + " before its end: a rest capture must be the last segment");
                }
                segment = new Segment(Kind.REST, name(part, 2));
            } else if (part.startsWith("{") && part.endsWith("}")) {
                segment = new Segment(Kind.ONE, name(part, 1));
            } else if (part.indexOf('{') >= 0 || part.indexOf('}') >= 0) {
                throw new IllegalArgumentException("has " + part + ": a capture is a whole segment, as in /old/{name}");
            } else {
                for (int c = 0; c < part.length(); c++) {
                    if (!isPathChar(part.charAt(c))) {
                        throw new IllegalArgumentException("holds '" + part.charAt(c) + "', which a path does not: percent-encode it");
                    }
                }
                String normalized = RequestPath.normalize("/" + part);
                if (normalized == null || !normalized.equals("/" + part)) {
                    throw new IllegalArgumentException("has the segment " + part + ", which no request path has once normalised: write it as "
                            + (normalized == null ? "a name" : normalized.substring(1)));
                }
                segment = new Segment(Kind.LITERAL, part);
            }
            if (segment.kind != Kind.LITERAL) {
                if (names.contains(segment.text)) {
                    throw new IllegalArgumentException("captures {" + segment.text + "} twice");
                }
                names.add(segment.text);
            }
            segments.add(segment);
        }
        return new PathCaptures(pattern, segments.toArray(Segment[]::new), trailingSlash);
    }

    private static String name(String part, int from) {
        String name = part.substring(from, part.length() - 1);
        if (name.isEmpty() || !name.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-'))) {
            throw new IllegalArgumentException("has " + part + ": a capture needs a name of letters, digits, - or _");
        }
        if (name.equals(WHOLE_PATH)) {
            throw new IllegalArgumentException("captures {path}, a name targets keep for the whole request path: choose another");
        }
        return name;
    }

    /** RFC 3986 {@code pchar}: unreserved, sub-delims, {@code :} and {@code @}, and {@code %} for escapes. */
    private static boolean isPathChar(char c) {
        return c != '/' && c != '?' && Syntax.isTargetChar(c);
    }

    /** The names this pattern captures, in order. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        for (Segment segment : segments) {
            if (segment.kind != Kind.LITERAL) {
                names.add(segment.text);
            }
        }
        return names;
    }

    /**
     * Paths this pattern matches, for checking at startup where a rule sends them: each one-segment
     * capture as {@code x}, the rest as one segment, two, one with a trailing slash, and nothing.
     */
    List<String> samplePaths() {
        StringBuilder fixed = new StringBuilder();
        boolean rest = false;
        for (Segment segment : segments) {
            switch (segment.kind) {
                case LITERAL -> fixed.append('/').append(segment.text);
                case ONE -> fixed.append("/x");
                case REST -> rest = true;
            }
        }
        if (!rest) {
            return List.of(fixed.isEmpty() || trailingSlash ? fixed + "/" : fixed.toString());
        }
        return List.of(fixed + "/x", fixed + "/x/y", fixed + "/x/", fixed + "/");
    }

    /**
     * Matches a {@linkplain RequestPath#normalize normalised} path.
     *
     * @return the captures by name, raw, or {@code null} if the path does not match
     */
    Map<String, String> match(String path) {
        Map<String, String> captures = null;
        int at = 1;
        int length = path.length();
        for (Segment segment : segments) {
            if (segment.kind == Kind.REST) {
                captures = put(captures, segment.text, at >= length ? "" : path.substring(at));
                return captures == null ? Map.of() : captures;
            }
            if (at >= length) {
                return null;
            }
            int end = path.indexOf('/', at);
            if (end < 0) {
                end = length;
            }
            if (segment.kind == Kind.LITERAL) {
                if (end - at != segment.text.length() || !path.startsWith(segment.text, at)) {
                    return null;
                }
            } else {
                captures = put(captures, segment.text, path.substring(at, end));
            }
            at = end + 1;
        }
        // Every segment matched; what is left must be nothing, or the one trailing slash the pattern asks for.
        boolean endsWithSlash = segments.length > 0 && at == length;
        boolean whole = segments.length == 0 ? length == 1 : at == length + 1 || endsWithSlash;
        if (!whole || endsWithSlash != trailingSlash) {
            return null;
        }
        return captures == null ? Map.of() : captures;
    }

    private static Map<String, String> put(Map<String, String> captures, String name, String value) {
        Map<String, String> map = captures == null ? new LinkedHashMap<>(4) : captures;
        map.put(name, value);
        return map;
    }

    @Override
    public String toString() {
        return source;
    }
}
