package dev.pier.files;

import dev.pier.http.PathPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code Cache-Control} of a file, from rules of {@code pier.cache-control}: Ant-style path
 * patterns, matched against the file's path in the document root ({@code /docs/index.html} for a
 * request of {@code /docs/}), each with the field's value. The most specific matching pattern wins
 * ({@link PathPattern#MOST_SPECIFIC_FIRST}), so a map's order never matters: {@code /assets/**}
 * beats {@code /**}{@code /*.html} for {@code /assets/app.html}. A blank value sends no field.
 *
 * <p>When no rule matches, HTML gets {@code no-cache} (kept, but revalidated on each use, which the
 * validators make a cheap 304), so a deploy shows at once; other files get no field, as nginx and
 * Spring send none, and browsers then cache them heuristically. Fingerprinted assets deserve
 * {@code public, max-age=31536000, immutable}.
 */
public final class CacheControlRules {

    public static final CacheControlRules NONE = new CacheControlRules(Map.of());

    static final String HTML_DEFAULT = "no-cache";

    private record Rule(PathPattern pattern, String value) {
    }

    private final Rule[] rules;

    /**
     * @param rules path pattern to field value
     * @throws IllegalArgumentException if a pattern is invalid
     */
    public CacheControlRules(Map<String, String> rules) {
        List<Rule> compiled = new ArrayList<>(rules.size());
        rules.forEach((pattern, value) -> compiled.add(new Rule(PathPattern.compile(pattern), value == null || value.isBlank() ? null : value.trim())));
        compiled.sort((a, b) -> PathPattern.MOST_SPECIFIC_FIRST.compare(a.pattern, b.pattern));
        this.rules = compiled.toArray(Rule[]::new);
    }

    /**
     * @param path the file's normalised path in the root
     * @param contentType the file's type, for the HTML default
     * @return the field's value, or {@code null} for none
     */
    String forFile(String path, String contentType) {
        for (Rule rule : rules) {
            if (rule.pattern.matches(path)) {
                return rule.value;
            }
        }
        return contentType.startsWith("text/html") ? HTML_DEFAULT : null;
    }
}
