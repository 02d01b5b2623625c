package dev.pier.files;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An Ant-style path pattern, as Spring's {@code AntPathMatcher} reads them: {@code ?} is one
 * character, {@code *} any characters within a segment, {@code **} any number of whole segments.
 * {@code /assets/**}, {@code /**}{@code /*.html}, {@code /favicon.ico}. Case-sensitive, like paths.
 *
 * <p>Compiled once into segments; matching walks the path's segment offsets without splitting it,
 * building strings or running a regex, since it runs on the event loop for every file response.
 * Written here rather than borrowed from Spring because this package does not depend on Spring,
 * and the subset is small enough to test completely.
 */
final class PathPattern {

    /**
     * Most specific first, as Spring orders Ant patterns: a pattern of {@code /**} alone last; then
     * fewer wildcards, {@code **} counting two and {@code *} or {@code ?} one; then the longer
     * pattern; then by text, so the order never depends on the order of configuration.
     */
    static final Comparator<PathPattern> MOST_SPECIFIC_FIRST = Comparator
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
    static PathPattern compile(String pattern) {
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

    /**
     * The offsets of a path's segments, {@code [start0, end0, start1, end1, ...]}, to share between
     * patterns tried against the same path; empty segments are skipped.
     */
    static int[] segmentBounds(String path) {
        int count = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) != '/' && (i == 0 || path.charAt(i - 1) == '/')) {
                count++;
            }
        }
        int[] bounds = new int[count * 2];
        int at = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) != '/' && (i == 0 || path.charAt(i - 1) == '/')) {
                int end = path.indexOf('/', i);
                bounds[at++] = i;
                bounds[at++] = end < 0 ? path.length() : end;
            }
        }
        return bounds;
    }

    boolean matches(String path) {
        return matches(path, segmentBounds(path));
    }

    /** Whether the path, split by {@link #segmentBounds}, matches; {@code **} backtracks as a glob's {@code *} does. */
    boolean matches(String path, int[] bounds) {
        int count = bounds.length / 2;
        int p = 0;
        int s = 0;
        int starP = -1;
        int starS = -1;
        while (s < count) {
            if (p < segments.length && segments[p].equals(ANY_SEGMENTS)) {
                starP = p++;
                starS = s;
            } else if (p < segments.length && glob(segments[p], path, bounds[2 * s], bounds[2 * s + 1])) {
                p++;
                s++;
            } else if (starP >= 0) {
                // Let the last ** take one more segment and try again from there.
                p = starP + 1;
                s = ++starS;
            } else {
                return false;
            }
        }
        while (p < segments.length && segments[p].equals(ANY_SEGMENTS)) {
            p++;
        }
        return p == segments.length;
    }

    /** {@code *} and {@code ?} within one segment, {@code path[from, to)}. */
    private static boolean glob(String pattern, String path, int from, int to) {
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
