package dev.pier.route;

import dev.pier.http.HttpRequest;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A further condition on a route, tested on the request's head (never its body), as WebMvc.fn's
 * {@code RequestPredicates}: routes of one method and path may differ by it, tried in the order
 * they were added. When every route of the path and method refuses a request, the answer is the
 * refusal status of the last one tried: 415 for a content type, 406 for {@code Accept}, 404 else.
 */
public interface RoutePredicate {

    boolean test(HttpRequest request);

    /** The status of a request that no route of its path and method took because of this. */
    int refusal();

    /** What the request lacked, for the problem's detail. */
    String describe();

    /** Both conditions; refused as the first that fails. */
    default RoutePredicate and(RoutePredicate other) {
        RoutePredicate self = this;
        return new RoutePredicate() {
            @Override
            public boolean test(HttpRequest request) {
                return self.test(request) && other.test(request);
            }

            @Override
            public int refusal() {
                return self.refusal() == 404 ? other.refusal() : self.refusal();
            }

            @Override
            public String describe() {
                return self.describe() + " and " + other.describe();
            }
        };
    }

    /** A body of one of these media types ({@code application/json}, {@code text/*}); 415 otherwise. */
    static RoutePredicate contentType(String... mediaTypes) {
        String[] types = lowerCase(mediaTypes);
        return of(request -> {
            String sent = request.header("Content-Type");
            return sent != null && Arrays.stream(types).anyMatch(type -> covers(type, essence(sent)));
        }, 415, "a body of type " + String.join(" or ", types));
    }

    /** A client that accepts one of these media types ({@code Accept} absent accepts all); 406 otherwise. */
    static RoutePredicate accept(String... mediaTypes) {
        String[] types = lowerCase(mediaTypes);
        return of(request -> {
            String accepted = request.header("Accept");
            if (accepted == null) {
                return true;
            }
            for (String range : accepted.split(",")) {
                String[] parts = range.split(";");
                boolean refused = Arrays.stream(parts).skip(1).map(String::trim).anyMatch(p -> p.matches("(?i)q=0(\\.0{0,3})?"));
                String accepts = essence(parts[0]);
                if (!refused && Arrays.stream(types).anyMatch(type -> covers(accepts, type))) {
                    return true;
                }
            }
            return false;
        }, 406, "an Accept that takes " + String.join(" or ", types));
    }

    /** A header field with exactly this value (names are case-insensitive, values not); 404 otherwise. */
    static RoutePredicate header(String name, String value) {
        return of(request -> request.headers().all(name).stream().anyMatch(value::equals), 404, name + ": " + value);
    }

    /** A header field of this name, whatever its value; 404 otherwise. */
    static RoutePredicate hasHeader(String name) {
        return of(request -> request.header(name) != null, 404, "a " + name + " header");
    }

    private static RoutePredicate of(Predicate<HttpRequest> test, int refusal, String description) {
        return new RoutePredicate() {
            @Override
            public boolean test(HttpRequest request) {
                return test.test(request);
            }

            @Override
            public int refusal() {
                return refusal;
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    private static String[] lowerCase(String[] mediaTypes) {
        if (mediaTypes.length == 0) {
            throw new IllegalArgumentException("Name at least one media type");
        }
        return Arrays.stream(mediaTypes).map(type -> type.toLowerCase(Locale.ROOT)).toArray(String[]::new);
    }

    /** A media type without its parameters, lower-cased: {@code Application/JSON; charset=utf-8} is {@code application/json}. */
    private static String essence(String mediaType) {
        int semicolon = mediaType.indexOf(';');
        return (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** Whether a range ({@code *}{@code /*}, {@code text/*}, {@code text/plain}) covers a type. */
    private static boolean covers(String range, String type) {
        if (range.equals("*/*") || range.equals(type)) {
            return true;
        }
        return range.endsWith("/*") && type.startsWith(range.substring(0, range.length() - 1));
    }
}
