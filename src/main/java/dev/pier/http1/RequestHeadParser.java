package dev.pier.http1;

import dev.pier.http.HostField;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpVersion;
import dev.pier.http.ParserLimits;
import dev.pier.http.RequestHead;
import dev.pier.http.RequestTarget;
import dev.pier.http.Syntax;

/**
 * Parses a complete request head (request line and fields, up to and including the empty line)
 * with the strictness RFC 9112 asks of a server facing unknown clients: single spaces in the
 * request line, no whitespace before a field's colon, no obs-fold, no control characters, exactly
 * one Host field in HTTP/1.1 and at most one in HTTP/1.0, its value a valid {@link HostField}.
 */
final class RequestHeadParser {

    /** Either a head or the rejection that ends the connection. */
    record Outcome(RequestHead head, ParseResult.Rejected rejection) {
    }

    private RequestHeadParser() {
    }

    static Outcome parse(byte[] head, ParserLimits limits) {
        int lineEnd = indexOf(head, 0, (byte) '\n');
        int requestLineEnd = contentEnd(head, 0, lineEnd);

        int firstSpace = indexOf(head, 0, (byte) ' ');
        if (firstSpace < 0 || firstSpace > requestLineEnd) {
            return rejected(400, "Malformed request line");
        }
        int secondSpace = indexOf(head, firstSpace + 1, (byte) ' ');
        if (secondSpace < 0 || secondSpace > requestLineEnd) {
            return rejected(400, "Malformed request line");
        }
        if (!isToken(head, 0, firstSpace)) {
            return rejected(400, "Invalid method");
        }
        for (int i = firstSpace + 1; i < secondSpace; i++) {
            int c = head[i] & 0xff;
            if (!Syntax.isTargetChar(c)) {
                return rejected(400, "Invalid character in request target");
            }
        }
        if (secondSpace == firstSpace + 1) {
            return rejected(400, "Malformed request line");
        }
        HttpVersion version = version(head, secondSpace + 1, requestLineEnd);
        if (version == null) {
            return isVersionShaped(head, secondSpace + 1, requestLineEnd)
                    ? rejected(505, "HTTP version not supported")
                    : rejected(400, "Malformed request line");
        }
        HttpMethod method = HttpMethod.lookup(head, 0, firstSpace);
        if (method == null) {
            return rejected(501, "Method not implemented");
        }
        if (method == HttpMethod.CONNECT) {
            return rejected(501, "CONNECT is not supported");
        }
        RequestTarget target = RequestTarget.parse(RequestParser.latin1(head, firstSpace + 1, secondSpace));
        if (target == null) {
            return rejected(400, "Invalid request target");
        }
        if (target.raw().equals("*") && method != HttpMethod.OPTIONS) {
            return rejected(400, "Asterisk target is only for OPTIONS");
        }

        HttpHeaders.Builder headers = HttpHeaders.builder();
        int hosts = 0;
        for (int start = lineEnd + 1; start < head.length; ) {
            int end = indexOf(head, start, (byte) '\n');
            int contentEnd = contentEnd(head, start, end);
            if (contentEnd == start) {
                break;
            }
            String error = field(head, start, contentEnd, headers);
            if (error != null) {
                return rejected(400, error);
            }
            if (headers.lastName().equalsIgnoreCase("Host")) {
                if (!HostField.isValid(headers.lastValue())) {
                    return rejected(400, "Invalid Host header");
                }
                hosts++;
            }
            start = end + 1;
        }
        if (hosts > 1 || (hosts == 0 && version == HttpVersion.HTTP_1_1)) {
            return rejected(400, hosts == 0 ? "Missing Host header" : "More than one Host header");
        }
        return new Outcome(new RequestHead(method, target, version, headers.build()), null);
    }

    /**
     * Adds the field line {@code bytes[start, contentEnd)} (its line end left out) to the headers:
     * the rules of a request head's fields, which a chunked body's trailer fields follow too.
     *
     * @return why the line is not a field, or {@code null} when it was added
     */
    static String field(byte[] bytes, int start, int contentEnd, HttpHeaders.Builder headers) {
        if (bytes[start] == ' ' || bytes[start] == '\t') {
            return "Obsolete line folding";
        }
        int colon = indexOf(bytes, start, (byte) ':');
        if (colon < 0 || colon > contentEnd || !isToken(bytes, start, colon)) {
            return "Malformed header field";
        }
        int valueStart = colon + 1;
        int valueEnd = contentEnd;
        while (valueStart < valueEnd && isWhitespace(bytes[valueStart])) {
            valueStart++;
        }
        while (valueEnd > valueStart && isWhitespace(bytes[valueEnd - 1])) {
            valueEnd--;
        }
        for (int i = valueStart; i < valueEnd; i++) {
            int c = bytes[i] & 0xff;
            if (Syntax.isForbiddenInValue(c)) {
                return "Control character in header value";
            }
        }
        headers.add(KnownFieldNames.of(bytes, start, colon), RequestParser.latin1(bytes, valueStart, valueEnd));
        return null;
    }

    private static HttpVersion version(byte[] head, int from, int to) {
        if (to - from != 8 || !startsWith(head, from, "HTTP/1.")) {
            return null;
        }
        return switch (head[from + 7]) {
            case '1' -> HttpVersion.HTTP_1_1;
            case '0' -> HttpVersion.HTTP_1_0;
            default -> null;
        };
    }

    /** {@code HTTP/d.d}: a version we could understand the syntax of but do not speak. */
    private static boolean isVersionShaped(byte[] head, int from, int to) {
        return to - from == 8 && startsWith(head, from, "HTTP/") && isDigit(head[from + 5]) && head[from + 6] == '.' && isDigit(head[from + 7]);
    }

    private static boolean startsWith(byte[] bytes, int from, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isToken(byte[] bytes, int from, int to) {
        if (from == to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            int c = bytes[i] & 0xff;
            if (!Syntax.isTokenChar(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }

    private static int indexOf(byte[] bytes, int from, byte wanted) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** End of a line's content: before the CR of CRLF, or before a bare LF. */
    private static int contentEnd(byte[] bytes, int lineStart, int lf) {
        return lf > lineStart && bytes[lf - 1] == '\r' ? lf - 1 : lf;
    }

    private static Outcome rejected(int status, String reason) {
        return new Outcome(null, RequestParser.reject(status, reason));
    }
}
