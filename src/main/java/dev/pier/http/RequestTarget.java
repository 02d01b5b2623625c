package dev.pier.http;

/**
 * The request target of RFC 9112 §3.2, split into path and query.
 *
 * @param raw the target as sent
 * @param path the raw (still encoded) path; {@code *} for the asterisk form
 * @param query the raw query after {@code ?}, or {@code null}
 * @param decodedPath the path percent-decoded once as UTF-8
 */
public record RequestTarget(String raw, String path, String query, String decodedPath) {

    /** Splits a target whose characters the parser has already checked; {@code null} if it is not origin, absolute or asterisk form, or its escapes are invalid. */
    public static RequestTarget parse(String raw) {
        if (raw.equals("*")) {
            return new RequestTarget(raw, raw, null, raw);
        }
        String pathAndQuery = raw;
        if (raw.charAt(0) != '/') {
            int authority = schemeEnd(raw);
            if (authority < 0) {
                return null;
            }
            int pathStart = authority;
            while (pathStart < raw.length() && raw.charAt(pathStart) != '/' && raw.charAt(pathStart) != '?') {
                pathStart++;
            }
            pathAndQuery = pathStart == raw.length() ? "/" : raw.substring(pathStart);
            if (pathAndQuery.charAt(0) == '?') {
                pathAndQuery = "/" + pathAndQuery;
            }
        }
        int question = pathAndQuery.indexOf('?');
        String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        String query = question < 0 ? null : pathAndQuery.substring(question + 1);
        String decoded = UrlEncoding.decodePath(path);
        return decoded == null ? null : new RequestTarget(raw, path, query, decoded);
    }

    /** Index after {@code http://} or {@code https://} (scheme case-insensitive), or -1. */
    private static int schemeEnd(String raw) {
        if (raw.regionMatches(true, 0, "http://", 0, 7)) {
            return 7;
        }
        if (raw.regionMatches(true, 0, "https://", 0, 8)) {
            return 8;
        }
        return -1;
    }
}
