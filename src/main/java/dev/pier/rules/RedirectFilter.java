package dev.pier.rules;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.ExchangeFilter;
import dev.pier.handler.HttpExchange;
import dev.pier.http.HostField;
import dev.pier.http.HostSelector;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Redirect rules, as nginx's {@code return 301} and {@code rewrite … permanent} write them: the
 * first rule, in order, whose host and path pattern match a request answers it with its status
 * and a {@code Location}; a request no rule matches goes on to the handler. Runs before every
 * other rule (nginx's rewrite phase comes before its access phase), on whatever thread the
 * handler runs on: matching allocates little and never blocks.
 *
 * <p>Compiling the rules checks each at startup and refuses, with one sentence, a rule that cannot
 * work: a bad pattern or target, a status other than 301, 302, 307 or 308, a target that uses a
 * capture the pattern does not make, and a rule that redirects to a path it matches again on the
 * same host (a loop; see {@link #of}).
 */
public final class RedirectFilter implements ExchangeFilter {

    /**
     * One rule as configured.
     *
     * @param from path pattern: literal segments, {@code {name}}, and last {@code {*name}}
     * @param to a path or an absolute URL, with {@code {name}} and {@code {path}} placeholders
     * @param host the host the rule is for, any when {@code null}
     * @param status 301, 302, 307 or 308
     * @param keepQuery whether the request's query is appended to the target
     */
    public record Rule(String from, String to, String host, int status, boolean keepQuery) {
    }

    private final Redirect[] redirects;

    private RedirectFilter(Redirect[] redirects) {
        this.redirects = redirects;
    }

    /**
     * Compiles the rules, refusing the first mistake.
     *
     * <p>Loops are looked for rule by rule: a rule whose target is a path, or a URL naming the
     * rule's own host, is tried with sample paths it matches ({@link PathCaptures#samplePaths});
     * if one of them is sent to a path the same rule matches again, the rule is refused. Not
     * detected: a loop through two or more rules ({@code /a -> /b}, {@code /b -> /a}), a loop
     * through only some capture values, and a rule for any host whose URL target names a host
     * this server also serves (Pier cannot know which hosts point at it: give such a rule its
     * {@code host}).
     *
     * @throws InvalidRuleException naming the key of the first mistake
     */
    public static RedirectFilter of(List<Rule> rules) {
        List<Redirect> compiled = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            compiled.add(compile(i, rules.get(i)));
        }
        return new RedirectFilter(compiled.toArray(Redirect[]::new));
    }

    private static Redirect compile(int index, Rule rule) {
        String key = "pier.redirects[" + index + "].";
        String name = "Redirect " + index + "'s ";
        PathCaptures from;
        try {
            from = PathCaptures.compile(rule.from());
        } catch (IllegalArgumentException e) {
            throw new InvalidRuleException(key + "from", rule.from(), name + "from " + e.getMessage() + ".");
        }
        RedirectTarget to;
        try {
            to = RedirectTarget.compile(rule.to(), from.names());
        } catch (IllegalArgumentException e) {
            throw new InvalidRuleException(key + "to", rule.to(), name + "to " + e.getMessage() + ".");
        }
        if (!Redirect.STATUSES.contains(rule.status())) {
            throw new InvalidRuleException(key + "status", rule.status(), name + "status must be 301, 302, 307 or 308.");
        }
        String host = null;
        if (rule.host() != null && !rule.host().isBlank()) {
            String written = rule.host().trim();
            if (written.indexOf(':') >= 0 && !written.startsWith("[") || written.indexOf('@') >= 0 || written.indexOf('/') >= 0
                    || !HostField.isValid(written) || written.startsWith("[") && !written.endsWith("]")) {
                throw new InvalidRuleException(key + "host", rule.host(), name + "host must be a host name without scheme, port or path, such as www.example.test.");
            }
            host = HostSelector.hostName(written);
        }
        Redirect redirect = new Redirect(index, host, from, to, rule.status(), rule.keepQuery());
        refuseLoop(redirect, key);
        return redirect;
    }

    private static void refuseLoop(Redirect redirect, String key) {
        RedirectTarget to = redirect.to();
        if (to.host() != null && !to.host().equals(redirect.host())) {
            return;
        }
        for (String sample : redirect.from().samplePaths()) {
            Map<String, String> captures = redirect.from().match(sample);
            if (captures == null) {
                continue;
            }
            String location = to.expand(captures, sample, null);
            String path = RequestPath.normalize(pathOf(location));
            if (path != null && redirect.from().match(path) != null) {
                throw new InvalidRuleException(key + "to", to.toString(), "Redirect " + redirect.index() + " sends " + sample + " to "
                        + location + ", which it matches again: clients would loop.");
            }
        }
    }

    /** The path of a location, without scheme, host or query. */
    private static String pathOf(String location) {
        String path = location;
        int scheme = path.indexOf("://");
        if (scheme >= 0) {
            int slash = path.indexOf('/', scheme + 3);
            int question = path.indexOf('?', scheme + 3);
            int end = slash < 0 ? question : question < 0 ? slash : Math.min(slash, question);
            path = end < 0 ? "/" : path.substring(end);
        }
        int question = path.indexOf('?');
        path = question < 0 ? path : path.substring(0, question);
        return path.isEmpty() ? "/" : path;
    }

    @Override
    public void filter(HttpExchange exchange, Chain chain) throws Exception {
        HttpRequest request = exchange.request();
        Match match = match(request);
        if (match == null) {
            chain.proceed(exchange);
            return;
        }
        exchange.respond(response(match.status(), match.location(), request));
    }

    /** Where a rule sends a request, and with which status. */
    record Match(int status, String location) {
    }

    /** The first matching rule's answer for a request, or {@code null} if none matches. */
    Match match(HttpRequest request) {
        String path = RequestPath.normalize(request.rawPath());
        if (path == null) {
            return null;
        }
        String host = requestHost(request.header("Host"));
        for (Redirect redirect : redirects) {
            String location = redirect.locationFor(host, path, request.query());
            if (location != null) {
                return new Match(redirect.status(), location);
            }
        }
        return null;
    }

    private static String requestHost(String field) {
        return field == null || field.isEmpty() ? null : HostSelector.hostName(field.trim());
    }

    /** As nginx answers a {@code return}: the status, the location, and a short page saying where to go. */
    static HttpResponse response(int status, String location, HttpRequest request) {
        HttpResponse page = ErrorResponses.of(status, "This page has moved to " + location + ".", request);
        return new HttpResponse(status, page.headers().toBuilder().remove("Cache-Control").set("Location", location).build(), page.body());
    }

    @Override
    public String toString() {
        return "RedirectFilter " + List.of(redirects);
    }
}
