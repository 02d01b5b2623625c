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

    boolean covers(HttpRequest request) {
        String normalised = RequestPath.withoutDotSegments(request.path());
        for (PathPattern pattern : patterns) {
            if (pattern.matches(normalised) || pattern.matches(request.rawPath()) || pattern.matches(request.path())) {
                return true;
            }
        }
        return false;
    }
}
