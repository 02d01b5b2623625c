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
     * The host of a {@code Host} field without its port: a bracketed IPv6 literal, or a name or
     * IPv4 address of letters, digits, dots, hyphens and underscores. {@code null} if missing or
     * anything else, so nothing odd ever reaches {@code Location}.
     */
    static String hostOf(String field) {
        if (field == null || field.isEmpty()) {
            return null;
        }
        String host;
        String port;
        if (field.charAt(0) == '[') {
            int close = field.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = field.substring(0, close + 1);
            if (!host.substring(1, host.length() - 1).chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return null;
            }
            port = field.substring(close + 1);
        } else {
            int colon = field.indexOf(':');
            host = colon < 0 ? field : field.substring(0, colon);
            port = colon < 0 ? "" : field.substring(colon);
            if (host.isEmpty() || !host.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_'))) {
                return null;
            }
        }
        if (!port.isEmpty() && (port.charAt(0) != ':' || !port.substring(1).chars().allMatch(c -> c >= '0' && c <= '9'))) {
            return null;
        }
        return host;
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
