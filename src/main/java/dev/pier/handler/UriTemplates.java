package dev.pier.handler;

/**
 * The values of the {@code uri} tag that are not a handler's own route, as Spring MVC and WebFlux
 * give them, so dashboards built for Spring applications read Pier's metrics the same way.
 */
public final class UriTemplates {

    /** The path {@code /}. */
    public static final String ROOT = "root";

    /** Any file of the document root: one series for the whole site, never one per file. */
    public static final String STATIC = "STATIC";

    /** A 404 from no route in particular. */
    public static final String NOT_FOUND = "NOT_FOUND";

    /** A 3xx from no route in particular. */
    public static final String REDIRECTION = "REDIRECTION";

    /** Anything else no route claims, including requests refused before any handler saw them. */
    public static final String UNKNOWN = "UNKNOWN";

    private UriTemplates() {
    }

    /** What Spring tags a request no route matched: {@link #REDIRECTION}, {@link #NOT_FOUND} or {@link #UNKNOWN}. */
    public static String unmatched(int status) {
        if (status >= 300 && status < 400) {
            return REDIRECTION;
        }
        return status == 404 ? NOT_FOUND : UNKNOWN;
    }
}
