package dev.pier.http2;

import dev.pier.http.ContentLength;
import dev.pier.http.HostField;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpVersion;
import dev.pier.http.RequestHead;
import dev.pier.http.RequestTarget;
import dev.pier.http.Syntax;
import dev.pier.http2.hpack.FieldConsumer;
import java.nio.charset.StandardCharsets;

/**
 * Makes a request head of one decoded header block under RFC 9113 §8.2 and §8.3, or the trailer
 * fields of a second one. Fields come one by one from the HPACK decoder, which must read the whole
 * block whatever it holds; the first fault is remembered and reported when the block ends. One
 * instance serves a session, {@link #begin} starting each block.
 *
 * <p>What breaks HTTP/2's own rules (upper case in a name, a misplaced or unknown pseudo-header, a
 * connection-specific field, a bad {@code content-length}) makes the request malformed: a stream
 * error. What HTTP/1.1 would answer with a status (an invalid authority, an unknown method, too
 * many fields) gets the same status here. {@code :authority} is the request's Host: a request
 * without {@code host} gets one made of it, so handlers read the host one way over both protocols.
 */
public final class RequestFields implements FieldConsumer {

    /** What a block made. */
    public sealed interface Outcome permits Head, Trailers, Malformed, Refused {
    }

    /** @param contentLength the declared {@code content-length}, or -1 */
    public record Head(RequestHead head, long contentLength) implements Outcome {
    }

    public record Trailers(HttpHeaders fields) implements Outcome {
    }

    /** The block breaks HTTP/2's rules (RFC 9113 §8.1.1): reset the stream with PROTOCOL_ERROR. */
    public record Malformed(String reason) implements Outcome {
    }

    /** Well-formed HTTP/2, but a request to refuse with this status, as HTTP/1.1 would. */
    public record Refused(int status, String reason) implements Outcome {
    }

    private final int maxFields;
    private boolean trailers;
    private String method;
    private String scheme;
    private String authority;
    private String path;
    private boolean regularSeen;
    private int count;
    private String malformed;
    private Refused refused;
    private long contentLength;
    private String host;
    private StringBuilder cookies;
    private HttpHeaders.Builder headers;

    /** @param maxFields most fields a block may hold, pseudo-headers left out; more is refused with 431 */
    public RequestFields(int maxFields) {
        this.maxFields = maxFields;
    }

    /** Starts a block: a request's head, or trailer fields after its body. */
    public void begin(boolean trailerFields) {
        trailers = trailerFields;
        method = scheme = authority = path = host = malformed = null;
        refused = null;
        regularSeen = false;
        count = 0;
        contentLength = -1;
        cookies = null;
        headers = HttpHeaders.builder();
    }

    @Override
    public void field(String name, String value) {
        if (malformed != null) {
            return;
        }
        String fault = valueFault(value);
        if (fault != null) {
            malformed = fault + " in " + name;
        } else if (!name.isEmpty() && name.charAt(0) == ':') {
            pseudo(name, value);
        } else {
            regular(name, value);
        }
    }

    private void pseudo(String name, String value) {
        if (trailers) {
            malformed = "Pseudo-header " + name + " in trailers";
            return;
        }
        if (regularSeen) {
            malformed = "Pseudo-header " + name + " after a regular field";
            return;
        }
        switch (name) {
            case ":method" -> method = once(name, method, value);
            case ":scheme" -> scheme = once(name, scheme, value);
            case ":authority" -> authority = once(name, authority, value);
            case ":path" -> path = once(name, path, value);
            default -> malformed = "Unknown pseudo-header " + name;
        }
    }

    private String once(String name, String previous, String value) {
        if (previous != null) {
            malformed = "Repeated pseudo-header " + name;
        }
        return value;
    }

    private void regular(String name, String value) {
        regularSeen = true;
        if (!isLowerCaseToken(name)) {
            malformed = "Invalid field name " + name;
            return;
        }
        switch (name) {
            case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" -> {
                malformed = "Connection-specific field " + name;
                return;
            }
            case "te" -> {
                if (!value.equalsIgnoreCase("trailers")) {
                    malformed = "te other than trailers";
                    return;
                }
            }
            case "content-length" -> {
                if (!trailers && !contentLength(value)) {
                    return;
                }
            }
            case "cookie" -> {
                // RFC 9113 §8.2.3: crumbs may come as separate fields; handlers see one, as HTTP/1.1 sends it.
                if (cookies == null) {
                    cookies = new StringBuilder(value);
                } else {
                    cookies.append("; ").append(value);
                }
                countField();
                return;
            }
            case "host" -> host = value;
            default -> {
            }
        }
        if (countField()) {
            headers.add(name, value);
        }
    }

    private boolean countField() {
        if (++count > maxFields) {
            if (refused == null) {
                refused = new Refused(431, "Too many header fields");
            }
            return false;
        }
        return true;
    }

    private boolean contentLength(String value) {
        long parsed = ContentLength.parse(value);
        if (parsed < 0 || contentLength >= 0 && parsed != contentLength) {
            malformed = "Invalid content-length " + value;
            return false;
        }
        contentLength = parsed;
        return true;
    }

    /** What the block made, once the decoder has delivered every field. */
    public Outcome end() {
        if (malformed != null) {
            return new Malformed(malformed);
        }
        if (cookies != null && count <= maxFields) {
            headers.add("cookie", cookies.toString());
        }
        if (trailers) {
            return refused != null ? refused : new Trailers(headers.build());
        }
        if (method == null) {
            return new Malformed("No :method");
        }
        if (method.equals("CONNECT")) {
            if (scheme != null || path != null || authority == null) {
                return new Malformed("CONNECT with :scheme or :path, or without :authority");
            }
            return new Refused(501, "CONNECT is not supported");
        }
        if (scheme == null || path == null || path.isEmpty()) {
            return new Malformed("No :scheme or :path");
        }
        if (path.charAt(0) != '/' && !path.equals("*")) {
            return new Malformed(":path is neither origin form nor *");
        }
        if (authority == null && host == null) {
            return new Malformed("Neither :authority nor host");
        }
        if (refused != null) {
            return refused;
        }
        byte[] methodBytes = method.getBytes(StandardCharsets.ISO_8859_1);
        HttpMethod known = HttpMethod.lookup(methodBytes, 0, methodBytes.length);
        if (known == null) {
            return isToken(method) ? new Refused(501, "Unknown method") : new Malformed("Invalid :method");
        }
        for (int i = 0; i < path.length(); i++) {
            if (!Syntax.isTargetChar(path.charAt(i))) {
                return new Refused(400, "Invalid character in request target");
            }
        }
        RequestTarget target = RequestTarget.parse(path);
        if (target == null) {
            return new Refused(400, "Invalid request target");
        }
        if (target.raw().equals("*") && known != HttpMethod.OPTIONS) {
            return new Refused(400, "Asterisk target is only for OPTIONS");
        }
        if (authority != null) {
            if (!HostField.isValid(authority)) {
                return new Refused(400, "Invalid :authority");
            }
            if (host == null) {
                headers.add("host", authority);
            } else if (!host.equalsIgnoreCase(authority)) {
                return new Refused(400, "host differs from :authority");
            }
        } else if (!HostField.isValid(host.trim())) {
            return new Refused(400, "Invalid Host header");
        }
        return new Head(new RequestHead(known, target, HttpVersion.HTTP_2_0, headers.build()), contentLength);
    }

    /** RFC 9113 §8.2.1: no NUL, CR or LF, nor whitespace at either end; HTTP/1.1's other controls are refused as there. */
    private static String valueFault(String value) {
        int length = value.length();
        if (length > 0 && (isWhitespace(value.charAt(0)) || isWhitespace(value.charAt(length - 1)))) {
            return "Whitespace around a value";
        }
        for (int i = 0; i < length; i++) {
            if (Syntax.isForbiddenInValue(value.charAt(i))) {
                return "Control character";
            }
        }
        return null;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isLowerCaseToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Syntax.isTokenChar(c) || c >= 'A' && c <= 'Z') {
                return false;
            }
        }
        return true;
    }

    private static boolean isToken(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!Syntax.isTokenChar(text.charAt(i))) {
                return false;
            }
        }
        return !text.isEmpty();
    }
}
