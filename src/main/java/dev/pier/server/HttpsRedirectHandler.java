package dev.pier.server;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpException;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Everything the plain-HTTP redirect port receives: 301 to the same path and query over HTTPS, on
 * the host the client asked for with the HTTPS port in place of its own (left out when it is 443),
 * as nginx's {@code return 301 https://$host$request_uri} does. Runs on the event loop.
 */
final class HttpsRedirectHandler implements HttpHandler {

    private static final byte[] BODY = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>301 Moved Permanently</title></head>
            <body><h1>301 Moved Permanently</h1><p>This site is served over HTTPS.</p></body></html>
            """.getBytes(StandardCharsets.UTF_8);

    private final int httpsPort;

    HttpsRedirectHandler(int httpsPort) {
        this.httpsPort = httpsPort;
    }

    @Override
    public boolean accepts(HttpRequest request) {
        return true;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String host = hostOf(request.header("Host"));
        if (host == null) {
            throw new HttpException(400, "A valid Host header is needed to redirect to HTTPS.");
        }
        String target = request.rawPath().equals("*") ? "/" : request.rawPath();
        String query = request.query();
        String location = "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + target + (query == null ? "" : "?" + query);
        return HttpResponse.status(301)
                .header("Location", location)
                .header("Cache-Control", "no-store")
                .contentType("text/html;charset=utf-8")
                .body(BODY)
                .build();
    }

    /**
     * The host of a {@code Host} field without its port; {@code null} if the field is missing or
     * empty, or names a host not copied into {@code Location}. The parser has already held the
     * field to the Host grammar ({@code HostField}): a bracketed literal or a name, then at most
     * {@code :} and digits. Of those, only names of letters, digits, dots, hyphens and underscores
     * and IPv6 literals pass: no percent-encoding, sub-delimiters or IPvFuture, so nothing odd
     * ever reaches {@code Location}.
     */
    static String hostOf(String field) {
        if (field == null || field.isEmpty()) {
            return null;
        }
        boolean literal = field.charAt(0) == '[';
        int end = literal ? field.indexOf(']') + 1 : field.indexOf(':');
        String host = end < 0 ? field : field.substring(0, end);
        boolean plain = literal
                ? host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '[' || c == ']')
                : host.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_'));
        return plain && !host.isEmpty() ? host : null;
    }

    @Override
    public boolean isBlocking() {
        return false;
    }

    @Override
    public boolean readsBody(HttpRequest head) {
        return false;
    }
}
