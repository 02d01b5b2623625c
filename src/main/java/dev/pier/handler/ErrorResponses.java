package dev.pier.handler;

import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Short error bodies: a small HTML page, or Spring Boot's error JSON shape
 * ({@code timestamp, status, error, message, path}) for clients that ask for JSON.
 */
public final class ErrorResponses {

    private static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>%1$d %2$s</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1d2733}\
            h1{font-size:1.6rem;margin:0 0 .5rem}p{color:#4a5868}footer{margin-top:2rem;font-size:.85rem;color:#8a96a3}</style>
            </head><body><h1>%1$d %2$s</h1><p>%3$s</p><footer>Pier</footer></body></html>
            """;

    private ErrorResponses() {
    }

    /** An error for a request, HTML or JSON as its {@code Accept} prefers. */
    public static HttpResponse of(int status, String message, HttpRequest request) {
        return of(status, message, request != null && request.acceptsJson(), request == null ? null : request.rawPath());
    }

    /** 405 with the {@code Allow} field RFC 9110 §15.5.6 requires, e.g. {@code "GET, HEAD"}. */
    public static HttpResponse methodNotAllowed(String allowed, HttpRequest request) {
        return of(405, "This resource allows " + allowed + ".", request).withHeader("Allow", allowed);
    }

    /** An error for bytes that did not make a request: there is no path and no preference to honour. */
    public static HttpResponse of(int status, String message) {
        return of(status, message, false, null);
    }

    private static HttpResponse of(int status, String message, boolean json, String path) {
        String reason = HttpStatus.reasonPhrase(status);
        HttpResponse.Builder response = HttpResponse.status(status).header("Cache-Control", "no-store");
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("timestamp", Instant.now().toString());
            body.put("status", status);
            body.put("error", reason);
            body.put("message", message);
            body.put("path", path);
            return response.contentType("application/json").body(JsonMapper.shared().writeValueAsBytes(body)).build();
        }
        String page = PAGE.formatted(status, reason, escapeHtml(message));
        return response.contentType("text/html;charset=utf-8").body(page.getBytes(StandardCharsets.UTF_8)).build();
    }

    public static String escapeHtml(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
