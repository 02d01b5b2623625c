package dev.pier.files;

import dev.pier.handler.ErrorResponses;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.ResponseBody;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-origin access to the static files, as the Fetch standard's CORS protocol defines it; off
 * unless origins are configured.
 *
 * <p><b>Preflights</b> ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method})
 * get 204 with the allowed origin, methods, headers and max age when the origin, the method and
 * every requested header are allowed, and 403 otherwise, as Spring's {@code DefaultCorsProcessor}
 * answers. <b>Other responses</b> get {@code Access-Control-Allow-Origin} and friends when the
 * request's origin is allowed.
 *
 * <p><b>Caching</b>, from Fetch's "CORS protocol and HTTP caches": when any origin is allowed
 * without credentials, every response says {@code Access-Control-Allow-Origin: *}, the same for all,
 * and no {@code Vary}. Otherwise the answer depends on {@code Origin}, so every response says
 * {@code Vary: Origin}, requests without an {@code Origin} and refused origins included, lest a cache
 * hand one origin's answer to another. With credentials the exact origin is echoed, never {@code *},
 * and {@code *} among the allowed origins is refused at startup: it would let any site read what
 * its visitors' cookies unlock.
 */
public final class CorsPolicy {

    public static final CorsPolicy DISABLED = new CorsPolicy(List.of(), List.of(), List.of(), List.of(), Duration.ZERO, false);

    private static final String ANY = "*";
    private static final String PREFLIGHT_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

    private final boolean enabled;
    private final boolean anyOrigin;
    /** Lower-cased, without a trailing slash: browsers serialise origins that way. */
    private final Set<String> origins = new HashSet<>();
    private final Set<String> methods;
    private final String allowMethods;
    private final boolean anyHeader;
    /** Lower-cased. */
    private final Set<String> headers = new HashSet<>();
    private final String exposeHeaders;
    private final String maxAge;
    private final boolean allowCredentials;

    /**
     * @param allowedOrigins origins such as {@code https://app.example.com}, or {@code *}; none turns CORS off
     * @param allowedMethods methods a preflight may ask for
     * @param allowedHeaders request headers a preflight may ask for, or {@code *}
     * @param exposedHeaders response headers scripts may read besides the safelisted ones
     * @param maxAge how long browsers may cache a preflight's answer
     * @param allowCredentials whether requests with cookies or HTTP authentication may read responses
     * @throws IllegalArgumentException if credentials are allowed for any origin
     */
    public CorsPolicy(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders, List<String> exposedHeaders,
            Duration maxAge, boolean allowCredentials) {
        for (String origin : allowedOrigins) {
            String normalised = origin.trim().toLowerCase(Locale.ROOT);
            origins.add(normalised.endsWith("/") ? normalised.substring(0, normalised.length() - 1) : normalised);
        }
        this.anyOrigin = origins.remove(ANY);
        if (anyOrigin && allowCredentials) {
            throw new IllegalArgumentException("CORS credentials cannot be allowed for any origin (*): list the origins that may send them");
        }
        this.enabled = anyOrigin || !origins.isEmpty();
        this.methods = Set.copyOf(allowedMethods.stream().map(String::trim).toList());
        this.allowMethods = String.join(", ", allowedMethods.stream().map(String::trim).toList());
        for (String header : allowedHeaders) {
            headers.add(header.trim().toLowerCase(Locale.ROOT));
        }
        this.anyHeader = headers.remove(ANY);
        this.exposeHeaders = exposedHeaders.isEmpty() ? null : String.join(", ", exposedHeaders.stream().map(String::trim).toList());
        this.maxAge = Long.toString(maxAge.toSeconds());
        this.allowCredentials = allowCredentials;
    }

    boolean enabled() {
        return enabled;
    }

    /** Whether responses depend on the request's {@code Origin}, and so must say {@code Vary: Origin}. */
    boolean variesByOrigin() {
        return enabled && !anyOrigin;
    }

    boolean isPreflight(HttpRequest request) {
        return enabled && request.method() == HttpMethod.OPTIONS && request.header("Origin") != null
                && request.header("Access-Control-Request-Method") != null;
    }

    /** 204 with what the preflight may do, or 403 when its origin, method or headers are not allowed. */
    HttpResponse preflight(HttpRequest request) {
        String origin = request.header("Origin");
        String method = request.header("Access-Control-Request-Method").trim();
        String requestedHeaders = request.header("Access-Control-Request-Headers");
        if (!allows(origin) || !methods.contains(method) || !allowsHeaders(requestedHeaders)) {
            HttpResponse refused = ErrorResponses.of(403, "This cross-origin request is not allowed.", request);
            return new HttpResponse(403, refused.headers().toBuilder().add("Vary", PREFLIGHT_VARY).build(), refused.body());
        }
        HttpHeaders.Builder headers = HttpHeaders.builder()
                .add("Access-Control-Allow-Origin", anyOrigin ? ANY : origin)
                .add("Access-Control-Allow-Methods", allowMethods);
        if (requestedHeaders != null && !requestedHeaders.isBlank()) {
            // With credentials "*" is a header literally named "*" (Fetch), so the request's list is echoed instead.
            headers.add("Access-Control-Allow-Headers", anyHeader && !allowCredentials ? ANY : requestedHeaders.trim());
        }
        headers.add("Access-Control-Max-Age", maxAge);
        if (allowCredentials) {
            headers.add("Access-Control-Allow-Credentials", "true");
        }
        headers.add("Vary", PREFLIGHT_VARY);
        return new HttpResponse(204, headers.build(), ResponseBody.EMPTY);
    }

    /** The fields a response other than a preflight's carries for the request's origin; {@code Vary} is the caller's. */
    void addTo(HttpHeaders.Builder response, HttpRequest request) {
        if (!enabled) {
            return;
        }
        if (anyOrigin) {
            response.add("Access-Control-Allow-Origin", ANY);
        } else {
            String origin = request.header("Origin");
            if (!allows(origin)) {
                return;
            }
            response.add("Access-Control-Allow-Origin", origin);
            if (allowCredentials) {
                response.add("Access-Control-Allow-Credentials", "true");
            }
        }
        if (exposeHeaders != null) {
            response.add("Access-Control-Expose-Headers", exposeHeaders);
        }
    }

    private boolean allows(String origin) {
        return origin != null && (anyOrigin || origins.contains(origin.toLowerCase(Locale.ROOT)));
    }

    private boolean allowsHeaders(String requested) {
        if (requested == null || anyHeader) {
            return true;
        }
        for (String header : requested.split(",")) {
            String name = header.trim();
            if (!name.isEmpty() && !headers.contains(name.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }
}
