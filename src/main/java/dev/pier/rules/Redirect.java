package dev.pier.rules;

import java.util.List;
import java.util.Map;

/**
 * One redirect rule, compiled: requests for {@code host} (any host when {@code null}) whose path
 * matches {@code from} answer {@code status} with a {@code Location} made from {@code to}.
 */
record Redirect(int index, String host, PathCaptures from, RedirectTarget to, int status, boolean keepQuery) {

    /** The statuses a rule may answer: permanent or temporary, method kept (307, 308) or not. */
    static final List<Integer> STATUSES = List.of(301, 302, 307, 308);

    /**
     * @param requestHost the request's host, lower case without port, or {@code null} if it sent none
     * @param path the request's normalised path
     * @param query its raw query, or {@code null}
     * @return the location, or {@code null} if the rule does not apply
     */
    String locationFor(String requestHost, String path, String query) {
        if (host != null && !host.equals(requestHost)) {
            return null;
        }
        Map<String, String> captures = from.match(path);
        return captures == null ? null : to.expand(captures, path, keepQuery ? query : null);
    }

    @Override
    public String toString() {
        return "pier.redirects[" + index + "] (" + (host == null ? "" : host + " ") + from + " -> " + to + ", " + status + ")";
    }
}
