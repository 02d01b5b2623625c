package dev.pier.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A parsed request with its whole body. Immutable but for {@link #body()}, which handlers must not
 * modify.
 */
public record HttpRequest(HttpMethod method, RequestTarget target, HttpVersion version, HttpHeaders headers, byte[] body) {

    private static final byte[] NO_BODY = new byte[0];

    public HttpRequest {
        body = body == null ? NO_BODY : body;
    }

    /** The path as sent, still percent-encoded. */
    public String rawPath() {
        return target.path();
    }

    /** The path percent-decoded once; not normalised, so it may hold {@code ..} segments. */
    public String path() {
        return target.decodedPath();
    }

    /** The raw query string without {@code ?}, or {@code null}. */
    public String query() {
        return target.query();
    }

    /** @throws HttpException 400 on an invalid escape */
    public Map<String, List<String>> queryParameters() {
        return UrlEncoding.decodeForm(target.query());
    }

    public String header(String name) {
        return headers.first(name);
    }

    /** Fields of an {@code application/x-www-form-urlencoded} body; empty for any other body. */
    public Map<String, List<String>> formFields() {
        String contentType = headers.first("Content-Type");
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return Map.of();
        }
        return UrlEncoding.decodeForm(new String(body, StandardCharsets.UTF_8));
    }

    /** Whether the connection may carry another request afterwards (RFC 9112 §9.3). */
    public boolean keepAlive() {
        if (version == HttpVersion.HTTP_1_1) {
            return !headers.containsToken("Connection", "close");
        }
        return headers.containsToken("Connection", "keep-alive") && !headers.containsToken("Connection", "close");
    }

    /** Whether the client prefers a JSON answer to an HTML one. */
    public boolean acceptsJson() {
        String accept = headers.first("Accept");
        return accept != null && accept.contains("json") && !accept.contains("text/html");
    }

    @Override
    public String toString() {
        return method + " " + target.raw() + " " + version;
    }
}
