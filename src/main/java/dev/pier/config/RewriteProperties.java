package dev.pier.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Internal rewrite rules under {@code pier.rewrites}, a record of its own beside
 * {@link PierProperties}, binding the same prefix. Checked when {@link RewriteRules}
 * compiles them.
 *
 * @param rewrites Internal rewrites, tried in order; the first whose from matches a request's path hands the request on
 *     with the path to makes, without a redirect; one pass, so no loop. None when unset
 */
@ConfigurationProperties("pier")
public record RewriteProperties(List<Rewrite> rewrites) {

    public RewriteProperties {
        rewrites = rewrites == null ? List.of() : List.copyOf(rewrites);
    }

    /**
     * @param from Path pattern, as redirects write it: literal segments, {name} for one segment, and last {*name} for the
     *     rest of the path, e.g. /blog/{slug}
     * @param to The path served instead, e.g. /posts/{slug}.html; {name} is a capture of from, {path} the whole request
     *     path; the request's query is kept
     */
    public record Rewrite(String from, String to) {
    }
}
