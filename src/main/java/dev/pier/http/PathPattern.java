package dev.pier.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An Ant-style path pattern, as Spring's {@code AntPathMatcher} reads them: {@code ?} is one
 * character, {@code *} any characters within a segment, {@code **} any number of whole segments.
 * {@code /assets/**}, {@code /**}{@code /*.html}, {@code /favicon.ico}. Case-sensitive, like paths.
 *
 * <p>Compiled once into segments; matching walks the path's segment offsets without splitting it,
 * building strings or running a regex, since it runs on the event loop for every response it
 * applies to (Cache-Control rules, hidden-file exceptions, access log exclusions). Written here
 * rather than borrowed from Spring because the server's packages do not depend on Spring, and the
 * subset is small enough to test completely.
 */
public final class PathPattern {

    /**
     * Most specific first, as Spring orders Ant patterns: a pattern of {@code /**} alone last; then
     * fewer wildcards, {@code **} counting two and {@code *} or {@code ?} one; then the longer
     * pattern; then by text, so the order never depends on the order of configuration.
     */
    public static final Comparator<PathPattern> MOST_SPECIFIC_FIRST = Comparator
            .comparing((PathPattern pattern) -> pattern.catchAll)
            .thenComparingInt(pattern -> pattern.wildcards)
            .thenComparing(Comparator.comparingInt((PathPattern pattern) -> pattern.source.length()).reversed())
            .thenComparing(pattern -> pattern.source);

    private static final String ANY_SEGMENTS = "**";

    private final String source;
    private final String[] segments;
    private final boolean catchAll;
    private final int wildcards;

    private PathPattern(String source, String[] segments) {
        this.source = source;
        this.segments = segments;
        this.catchAll = segments.length == 1 && segments[0].equals(ANY_SEGMENTS);
        int count = 0;
        for (String segment : segments) {
            if (segment.equals(ANY_SEGMENTS)) {
                count += 2;
            } else {
                for (int i = 0; i < segment.length(); i++) {
                    count += segment.charAt(i) == '*' || segment.charAt(i) == '?' ? 1 : 0;
                }
            }
        }
        this.wildcards = count;
    }

    /**
     * @throws IllegalArgumentException if the pattern does not start with {@code /}, or uses {@code **}
     *     inside a segment ({@code /a**}), which Ant would quietly read as {@code *}
     */
    public static PathPattern compile(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("Path pattern '" + pattern + "' must start with /");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : pattern.substring(1).split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.contains(ANY_SEGMENTS) && !segment.equals(ANY_SEGMENTS)) {
                throw new IllegalArgumentException("Path pattern '" + pattern + "': ** must be a whole segment, as in /assets/**");
            }
            segments.add(segment);
        }
        return new PathPattern(pattern, segments.toArray(String[]::new));
    }

    public boolean matches(String path) {
        return matches(path, true);
    }

    /**
     * Whether the path matches when wildcards never stand for a segment starting with a dot, as a
     * shell's {@code *} skips hidden files: {@code /.well-known/**} matches
     * {@code /.well-known/acme-challenge/x} but not {@code /.well-known/.git/config}, and
     * {@code /**} matches no hidden name at all. Such names match only where the pattern spells
     * out their leading dot.
     */
    public boolean matchesSpellingOutDotNames(String path) {
        return matches(path, false);
    }

    /**
     * Walks the path's segments by their offsets, empty ones skipped, without allocating;
     * {@code **} backtracks as a glob's {@code *} does.
     */
    private boolean matches(String path, boolean wildcardsMatchDotNames) {
        int length = path.length();
        int p = 0;
        int s = skipSlashes(path, 0);
        int starP = -1;
        int starS = -1;
        while (s < length) {
            if (p < segments.length && segments[p].equals(ANY_SEGMENTS)) {
                starP = p++;
                starS = s;
            } else if (p < segments.length && glob(segments[p], path, s, segmentEnd(path, s), wildcardsMatchDotNames)) {
                p++;
                s = skipSlashes(path, segmentEnd(path, s));
            } else if (starP >= 0 && (wildcardsMatchDotNames || path.charAt(starS) != '.')) {
                // Let the last ** take one more segment and try again from there.
                p = starP + 1;
                starS = skipSlashes(path, segmentEnd(path, starS));
                s = starS;
            } else {
                return false;
            }
        }
        while (p < segments.length && segments[p].equals(ANY_SEGMENTS)) {
            p++;
        }
        return p == segments.length;
    }

    private static int segmentEnd(String path, int from) {
        int end = path.indexOf('/', from);
        return end < 0 ? path.length() : end;
    }

    private static int skipSlashes(String path, int from) {
        while (from < path.length() && path.charAt(from) == '/') {
            from++;
        }
        return from;
    }

    /** {@code *} and {@code ?} within one segment, {@code path[from, to)}. */
    private static boolean glob(String pattern, String path, int from, int to, boolean wildcardsMatchDotNames) {
        if (!wildcardsMatchDotNames && path.charAt(from) == '.' && pattern.charAt(0) != '.') {
            return false;
        }
        int p = 0;
        int s = from;
        int starP = -1;
        int starS = -1;
        while (s < to) {
            char c = p < pattern.length() ? pattern.charAt(p) : 0;
            if (c == '*') {
                starP = p++;
                starS = s;
            } else if (p < pattern.length() && (c == '?' || c == path.charAt(s))) {
                p++;
                s++;
            } else if (starP >= 0) {
                p = starP + 1;
                s = ++starS;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return source;
    }
}
