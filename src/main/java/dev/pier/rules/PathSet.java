package dev.pier.rules;

import dev.pier.http.HttpRequest;
import dev.pier.http.PathPattern;
import java.util.List;

/**
 * Path patterns a rule (basic auth, access, rate limits) applies to, matched after percent-decoding and
 * removing dot segments, and as sent, so {@code /public/../api/x} and {@code /%61pi/x} are covered
 * by {@code /api/**}.
 */
record PathSet(List<PathPattern> patterns) {

    PathSet {
        patterns = List.copyOf(patterns);
    }

    /**
     * The index of the first set that covers the request, or -1: the first rule decides, and the
     * request's path is normalised once for all of them.
     */
    static int first(List<PathSet> sets, HttpRequest request) {
        if (sets.isEmpty()) {
            return -1;
        }
        String normalised = RequestPath.withoutDotSegments(request.path());
        for (int i = 0; i < sets.size(); i++) {
            if (sets.get(i).covers(normalised, request)) {
                return i;
            }
        }
        return -1;
    }

    private boolean covers(String normalised, HttpRequest request) {
        for (PathPattern pattern : patterns) {
            if (pattern.matches(normalised) || pattern.matches(request.rawPath()) || pattern.matches(request.path())) {
                return true;
            }
        }
        return false;
    }
}
