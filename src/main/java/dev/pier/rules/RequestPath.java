package dev.pier.rules;

/**
 * A request's raw path as rules match it, normalised the way nginx normalises {@code $uri} before
 * its {@code location} and {@code rewrite} phases, but without decoding anything that could change
 * the path's structure:
 * <ul>
 * <li>escapes of unreserved characters ({@code %2e}, {@code %41}…) are decoded (RFC 3986
 *     §6.2.2.2), so {@code %2e%2e} is a dot segment, as browsers read it too;</li>
 * <li>every other escape stays as sent: {@code %2F} is never a segment separator, {@code %0D%0A}
 *     never a line break;</li>
 * <li>runs of slashes become one (nginx's {@code merge_slashes on}), so {@code //evil.example}
 *     can never come out of a capture;</li>
 * <li>{@code .} and {@code ..} segments are removed (RFC 3986 §5.2.4); a {@code ..} above the
 *     root makes the path unusable ({@code null}), and no rule matches it.</li>
 * </ul>
 * The result holds only RFC 3986 characters, as the parsers accept them in a request target.
 */
final class RequestPath {

    private static final String HEX = "0123456789ABCDEF";

    private RequestPath() {
    }

    /** @return the normalised path starting with {@code /}, or {@code null} if it climbs above the root or is not an origin path */
    static String normalize(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return null;
        }
        if (isPlain(rawPath)) {
            return rawPath;
        }
        StringBuilder out = new StringBuilder(rawPath.length());
        int length = rawPath.length();
        int i = 0;
        while (i < length) {
            // At a slash: skip the run, then take one segment.
            while (i < length && rawPath.charAt(i) == '/') {
                i++;
            }
            int end = rawPath.indexOf('/', i);
            if (end < 0) {
                end = length;
            }
            String segment = decodeUnreserved(rawPath, i, end);
            boolean last = end == length;
            if (segment.equals(".")) {
                if (last) {
                    out.append('/');
                }
            } else if (segment.equals("..")) {
                int cut = out.lastIndexOf("/");
                if (cut < 0) {
                    return null;
                }
                out.setLength(cut);
                if (last) {
                    out.append('/');
                }
            } else if (!segment.isEmpty() || last) {
                out.append('/').append(segment);
            }
            i = end;
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    /** The common case, left as it is: no escapes, no empty, {@code .} or {@code ..} segment. */
    private static boolean isPlain(String path) {
        int length = path.length();
        for (int i = 0; i < length; i++) {
            char c = path.charAt(i);
            if (c == '%') {
                return false;
            }
            if (c == '/' && i + 1 < length) {
                char next = path.charAt(i + 1);
                if (next == '/' || next == '.' && isDotSegment(path, i + 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean hasDotSegment(String path) {
        for (int slash = path.indexOf("/."); slash >= 0; slash = path.indexOf("/.", slash + 1)) {
            if (isDotSegment(path, slash + 1)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDotSegment(String path, int from) {
        int end = path.indexOf('/', from);
        int length = (end < 0 ? path.length() : end) - from;
        return length == 1 || length == 2 && path.charAt(from + 1) == '.';
    }

    /** The segment with escapes of unreserved characters decoded, hex digits of the others upper-cased. */
    private static String decodeUnreserved(String path, int from, int to) {
        StringBuilder segment = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < to && hex(path, i + 1) >= 0 && hex(path, i + 2) >= 0) {
                char decoded = (char) (hex(path, i + 1) << 4 | hex(path, i + 2));
                if (isUnreserved(decoded)) {
                    segment.append(decoded);
                } else {
                    segment.append('%').append(HEX.charAt(decoded >> 4)).append(HEX.charAt(decoded & 0xf));
                }
                i += 2;
            } else {
                segment.append(c);
            }
        }
        return segment.toString();
    }

    private static int hex(String s, int at) {
        return Character.digit(s.charAt(at), 16);
    }

    private static boolean isUnreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** The path with {@code .} and {@code ..} segments removed (RFC 3986 §5.2.4), never above {@code /}. */
    static String withoutDotSegments(String path) {
        // Every filter asks for every request, and most paths hold a dot (an extension) but no dot segment.
        if (path.indexOf('.') < 0 || path.startsWith("/") && !hasDotSegment(path)) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        int length = path.length();
        for (int start = path.startsWith("/") ? 1 : 0; start <= length; ) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            String segment = path.substring(start, end);
            if (segment.equals("..")) {
                out.setLength(Math.max(out.lastIndexOf("/"), 0));
                if (end == length) {
                    out.append('/');
                }
            } else if (segment.equals(".")) {
                if (end == length) {
                    out.append('/');
                }
            } else {
                out.append('/').append(segment);
            }
            start = end + 1;
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
