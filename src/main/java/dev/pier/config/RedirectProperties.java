package dev.pier.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Redirect rules under {@code pier.redirects}, a record of its own beside {@link PierProperties},
 * binding the same prefix. Checked when {@link RedirectRules} compiles them.
 *
 * @param redirects Redirect rules, tried in order; the first whose host and from match a request answers it with its
 *     status and a Location made from to. None when unset
 */
@ConfigurationProperties("pier")
public record RedirectProperties(List<Redirect> redirects) {

    public RedirectProperties {
        redirects = redirects == null ? List.of() : List.copyOf(redirects);
    }

    /**
     * @param from Path pattern: literal segments, {name} for one segment, and last {*name} for the rest of the path, e.g.
     *     /old/{*rest}
     * @param to Where to send the request: a path (/new/{rest}) or a URL with its scheme and host written out
     *     (https://example.test/{rest}); {name} is a capture of from, {path} the whole request path
     * @param host The host the rule is for (case-insensitive, port ignored); any host when unset
     * @param status 301, 302, 307 or 308
     * @param keepQuery Whether the request's query string is appended to the target (joined with &amp; if the target has one)
     */
    public record Redirect(String from, String to, String host, @DefaultValue("301") int status, @DefaultValue("true") boolean keepQuery) {
    }
}
