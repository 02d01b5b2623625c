package dev.pier.files;

/**
 * Entity tags (RFC 9110 §8.8.3): the strong tags Pier gives files, and the two comparisons of
 * §8.8.3.2 against a client's field. Tags are kept as their quoted text, so comparing one scans
 * the field in place without parsing it into objects.
 */
final class EntityTag {

    private EntityTag() {
    }

    /**
     * A strong tag for bytes from a file of this size and modification time, with the coding's
     * name when the bytes are compressed: {@code "2a-18f4c3b2a1d0e000"}, {@code "2a-18f4c3b2a1d0e000-br"}.
     * Size and nanosecond mtime change when a file is replaced, as nginx's and Apache's tags do;
     * the coding keeps the compressed and plain forms apart, since their bytes differ (§8.8.3.3).
     */
    static String of(long size, long modifiedNanos, ContentCoding coding) {
        StringBuilder tag = new StringBuilder(40).append('"').append(Long.toHexString(size)).append('-').append(Long.toHexString(modifiedNanos));
        if (coding != ContentCoding.IDENTITY) {
            tag.append('-').append(coding.token());
        }
        return tag.append('"').toString();
    }

    /**
     * Whether an {@code If-Match} or {@code If-None-Match} value names the tag: {@code *} matches any
     * current representation; otherwise any member of the list. Malformed members match nothing.
     *
     * @param strong strong comparison (If-Match): a weak member {@code W/"x"} never matches;
     *     weak comparison (If-None-Match): the opaque tags alone are compared
     */
    static boolean listMatches(String field, String tag, boolean strong) {
        int length = field.length();
        int i = 0;
        while (i < length) {
            char c = field.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            if (c == '*') {
                return true;
            }
            boolean weak = field.startsWith("W/", i);
            int open = weak ? i + 2 : i;
            int close = open < length && field.charAt(open) == '"' ? field.indexOf('"', open + 1) : -1;
            if (close < 0) {
                // Not an entity-tag: skip to the next member.
                int comma = field.indexOf(',', i);
                i = comma < 0 ? length : comma + 1;
                continue;
            }
            if (!(weak && strong) && close + 1 - open == tag.length() && field.startsWith(tag, open)) {
                return true;
            }
            i = close + 1;
        }
        return false;
    }

    /** Strong comparison of one tag, as {@code If-Range} needs: a weak tag never matches. */
    static boolean strongMatch(String candidate, String tag) {
        return candidate.equals(tag);
    }
}
