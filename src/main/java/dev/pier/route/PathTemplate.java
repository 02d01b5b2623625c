package dev.pier.route;

import dev.pier.http.UrlEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A route's path: literal segments, {@code {name}} variables of one segment each, and at the end,
 * optionally, {@code {*name}}, which takes the rest of the path (zero or more segments). Compiled
 * once; matching walks the raw path's segments by offset, decoding only what a variable captures,
 * so an encoded {@code %2F} stays inside its segment.
 */
final class PathTemplate implements Comparable<PathTemplate> {

    private enum Kind { LITERAL, VARIABLE, REST }

    private record Segment(Kind kind, String text) {
    }

    private final String source;
    private final Segment[] segments;

    private PathTemplate(String source, Segment[] segments) {
        this.source = source;
        this.segments = segments;
    }

    /** @throws IllegalArgumentException for a template that does not start with {@code /}, or misplaces braces or a rest variable */
    static PathTemplate compile(String template) {
        if (template == null || !template.startsWith("/")) {
            throw new IllegalArgumentException("Route path '" + template + "' must start with /");
        }
        List<Segment> segments = new ArrayList<>();
        String[] parts = template.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                if (i == parts.length - 1 && parts.length > 1) {
                    throw new IllegalArgumentException("Route path '" + template + "' must not end with /");
                }
                if (parts.length > 1) {
                    throw new IllegalArgumentException("Route path '" + template + "' has an empty segment");
                }
                continue;
            }
            if (part.startsWith("{*") && part.endsWith("}")) {
                if (i != parts.length - 1) {
                    throw new IllegalArgumentException("Route path '" + template + "': " + part + " must be the last segment");
                }
                segments.add(new Segment(Kind.REST, name(template, part, 2)));
            } else if (part.startsWith("{") && part.endsWith("}")) {
                segments.add(new Segment(Kind.VARIABLE, name(template, part, 1)));
            } else if (part.indexOf('{') >= 0 || part.indexOf('}') >= 0) {
                throw new IllegalArgumentException("Route path '" + template + "': a variable is a whole segment, as in /orders/{id}");
            } else {
                segments.add(new Segment(Kind.LITERAL, part));
            }
        }
        return new PathTemplate(template, segments.toArray(Segment[]::new));
    }

    private static String name(String template, String part, int from) {
        String name = part.substring(from, part.length() - 1);
        if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
            throw new IllegalArgumentException("Route path '" + template + "': variable " + part + " needs a name of letters, digits, - or _");
        }
        return name;
    }

    /**
     * Matches a raw (still percent-encoded) path; the variables go into {@code variables}.
     *
     * @return false if the path does not match (the map may then hold some variables already)
     */
    boolean matches(String rawPath, Map<String, String> variables) {
        int at = 1;
        int length = rawPath.length();
        for (Segment segment : segments) {
            if (segment.kind == Kind.REST) {
                if (variables != null) {
                    variables.put(segment.text, UrlEncoding.decodePath(at >= length ? "" : rawPath.substring(at)));
                }
                return true;
            }
            if (at > length) {
                return false;
            }
            int end = rawPath.indexOf('/', at);
            if (end < 0) {
                end = length;
            }
            if (end == at) {
                return false;
            }
            if (segment.kind == Kind.LITERAL) {
                if (end - at != segment.text.length() || !rawPath.startsWith(segment.text, at)) {
                    return false;
                }
            } else if (variables != null) {
                variables.put(segment.text, UrlEncoding.decodePath(rawPath.substring(at, end)));
            }
            at = end + 1;
        }
        return at > length || segments.length == 0 && length == 1;
    }

    /**
     * Most specific first, segment by segment: a literal before a variable before the rest; then
     * the longer template. Two templates that compare equal would match the same paths.
     */
    @Override
    public int compareTo(PathTemplate other) {
        for (int i = 0; i < Math.min(segments.length, other.segments.length); i++) {
            int byKind = segments[i].kind.compareTo(other.segments[i].kind);
            if (byKind != 0) {
                return byKind;
            }
            if (segments[i].kind == Kind.LITERAL) {
                int byText = segments[i].text.compareTo(other.segments[i].text);
                if (byText != 0) {
                    return byText;
                }
            }
        }
        return Integer.compare(other.segments.length, segments.length);
    }

    /** Whether the two would match exactly the same paths: same shape, same literals, whatever the variables are called. */
    boolean sameShape(PathTemplate other) {
        if (segments.length != other.segments.length) {
            return false;
        }
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].kind != other.segments[i].kind
                    || segments[i].kind == Kind.LITERAL && !segments[i].text.equals(other.segments[i].text)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return source;
    }
}
