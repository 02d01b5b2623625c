package dev.pier.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Response header fields by path pattern under {@code pier.headers}, a record of its own beside
 * {@link PierProperties}, binding the same prefix. Checked by {@link HeaderRules}.
 *
 * @param headers Header fields by Ant-style path pattern of the request, on every response whose path matches, e.g.
 *     "[/**]": {X-Frame-Options: DENY}; each replaces the handler's field, an empty value removes it; for a field
 *     named by several matching patterns the most specific decides. None when unset
 */
@Validated
@ConfigurationProperties("pier")
public record HeadersProperties(Map<@AntPattern String, Map<String, String>> headers) {

    public HeadersProperties {
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
}
