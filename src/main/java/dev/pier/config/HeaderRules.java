package dev.pier.config;

import dev.pier.rules.ResponseHeadersFilter;
import java.util.Map;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Response header fields by path pattern ({@code pier.headers}) built into an exchange filter for
 * {@link SiteAssembler}, present only when some pattern is configured. Each name and value is
 * checked here, at startup and on each reload, with one sentence per mistake.
 *
 * <p>{@code pier.cache-control} and {@code pier.security-headers} stay as they are, inside the
 * static file handler: the first matches the file served ({@code /docs/index.html} for
 * {@code /docs/}, the fallback page for a single-page app's route) and gives HTML
 * {@code no-cache} when no rule matches, which a filter that sees only the request path cannot
 * do. This filter runs outside every handler, so when both name {@code Cache-Control} for a
 * request, {@code pier.headers} has the last word.
 */
final class HeaderRules {

    /**
     * Inside maintenance (whose 503 keeps its own {@code Cache-Control: no-store}), outside redirects
     * and basic auth, so their answers get the fields too.
     */
    static final int ORDER = MaintenanceAutoConfiguration.ORDER + 25;

    private HeaderRules() {
    }

    /** The header rules, or {@code null} when there are none. */
    static ResponseHeadersFilter filter(HeadersProperties properties) {
        if (properties.headers().isEmpty()) {
            return null;
        }
        properties.headers().forEach((pattern, fields) -> (fields == null ? Map.<String, String>of() : fields).forEach((name, value) -> {
            String key = "pier.headers[" + pattern + "]." + name;
            if (!ResponseHeadersFilter.isValidName(name)) {
                throw new InvalidConfigurationPropertyValueException(key, name,
                        "A header field name must be a token of letters, digits and !#$%&'*+-.^_`|~, and not one the server writes"
                                + " itself (Content-Length, Transfer-Encoding, Connection, Keep-Alive, Upgrade, Proxy-Connection, TE, Trailer).");
            }
            if (!ResponseHeadersFilter.isValidValue(value)) {
                throw new InvalidConfigurationPropertyValueException(key, value.replace("\r", "\\r").replace("\n", "\\n"),
                        "A header field value must not hold CR, LF or other control characters but tab, which would split or end the response head.");
            }
        }));
        return new ResponseHeadersFilter(properties.headers());
    }
}
