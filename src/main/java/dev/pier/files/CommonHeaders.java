package dev.pier.files;

import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fields on every response of the static file handler, whatever its status: the configured
 * security headers, CORS fields for the request's origin, and {@code Vary}, which joins what the
 * response itself varies on with {@code Origin} when CORS makes it vary. Built once; applying it
 * copies a few references.
 */
final class CommonHeaders {

    private final String[] names;
    private final String[] values;
    private final CorsPolicy cors;

    CommonHeaders(Map<String, String> securityHeaders, CorsPolicy cors) {
        // Sorted, so the order on the wire does not depend on the map's.
        Map<String, String> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        securityHeaders.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                sorted.put(canonical(name.trim()), value.trim());
            }
        });
        this.names = sorted.keySet().toArray(String[]::new);
        this.values = sorted.values().toArray(String[]::new);
        this.cors = cors;
    }

    /**
     * @param vary what the response varies on by itself ({@code Accept-Encoding}), or {@code null}
     */
    void addTo(HttpHeaders.Builder headers, HttpRequest request, String vary) {
        addSecurityHeaders(headers);
        cors.addTo(headers, request);
        if (cors.variesByOrigin()) {
            vary = vary == null ? "Origin" : vary + ", Origin";
        }
        if (vary != null) {
            headers.add("Vary", vary);
        }
    }

    /** The same for a response already built, such as an error page. */
    HttpResponse addTo(HttpResponse response, HttpRequest request) {
        HttpHeaders.Builder headers = response.headers().toBuilder();
        addTo(headers, request, null);
        return new HttpResponse(response.status(), headers.build(), response.body());
    }

    /** Security headers only: a preflight's answer carries its own CORS fields and {@code Vary}. */
    HttpResponse addSecurityHeaders(HttpResponse response) {
        HttpHeaders.Builder headers = response.headers().toBuilder();
        addSecurityHeaders(headers);
        return new HttpResponse(response.status(), headers.build(), response.body());
    }

    private void addSecurityHeaders(HttpHeaders.Builder headers) {
        for (int i = 0; i < names.length; i++) {
            headers.add(names[i], values[i]);
        }
    }

    /**
     * {@code x-frame-options} as {@code X-Frame-Options}: names bound from environment variables
     * arrive lower-cased, and although case does not matter to HTTP, it matters to people reading
     * it. A name written with capitals is kept as written ({@code X-XSS-Protection}).
     */
    static String canonical(String name) {
        if (!name.equals(name.toLowerCase(Locale.ROOT))) {
            return name;
        }
        StringBuilder canonical = new StringBuilder(name.length());
        boolean upper = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            canonical.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '-';
        }
        return canonical.toString();
    }
}
