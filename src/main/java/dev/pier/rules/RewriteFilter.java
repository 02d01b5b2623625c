package dev.pier.rules;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.ExchangeFilter;
import dev.pier.handler.ForwardingExchange;
import dev.pier.handler.HttpExchange;
import dev.pier.http.HttpRequest;
import dev.pier.http.RequestTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Internal rewrites, as nginx's {@code rewrite … last} without the redirect: the first rule, in
 * order, whose pattern matches a request's path hands the request on with the path its target
 * makes, and the client sees no redirect. One pass: a rewritten path is not matched again, by
 * this rule or another, so a rewrite loop cannot happen. A request no rule matches goes on as it
 * came.
 *
 * <p>The request handed on keeps its {@link RequestTarget#raw() target as sent} (so the access
 * log shows what the client asked for, and the static files' trailing-slash redirects name the
 * client's URL, never the internal one); its path, decoded path and query are the rewritten ones.
 * The query of the request is kept, appended with {@code &} to one the target writes. Only the
 * path handlers see changes: the handler was chosen by the path as sent (Pier's filters wrap the
 * handler that accepted the request), so rewrites serve the static files, which take every path.
 *
 * <p>Captures come from the path {@link RequestPath#normalize normalised} and stay percent-encoded,
 * so an encoded {@code /} or {@code ..} in one is decoded only by the handler, once: the static
 * files' {@code DocRoot} confines the result to the root as it does any request path. A rewritten
 * path that climbs above the root answers 400. Runs after redirects and before access rules, so
 * that basic auth and the like see the path that will be served.
 */
public final class RewriteFilter implements ExchangeFilter {

    /**
     * One rule as configured.
     *
     * @param from path pattern: literal segments, {@code {name}}, and last {@code {*name}}
     * @param to a path with {@code {name}} and {@code {path}} placeholders, optionally a query
     */
    public record Rule(String from, String to) {
    }

    private record Rewrite(int index, PathCaptures from, RedirectTarget to) {

        @Override
        public String toString() {
            return "pier.rewrites[" + index + "] (" + from + " -> " + to + ")";
        }
    }

    private final Rewrite[] rewrites;

    private RewriteFilter(Rewrite[] rewrites) {
        this.rewrites = rewrites;
    }

    /** @throws InvalidRuleException naming the key of the first mistake */
    public static RewriteFilter of(List<Rule> rules) {
        List<Rewrite> compiled = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            compiled.add(compile(i, rules.get(i)));
        }
        return new RewriteFilter(compiled.toArray(Rewrite[]::new));
    }

    private static Rewrite compile(int index, Rule rule) {
        String key = "pier.rewrites[" + index + "].";
        String name = "Rewrite " + index + "'s ";
        PathCaptures from;
        try {
            from = PathCaptures.compile(rule.from());
        } catch (IllegalArgumentException e) {
            throw new InvalidRuleException(key + "from", rule.from(), name + "from " + e.getMessage() + ".");
        }
        if (rule.to() != null && !rule.to().startsWith("/") && !rule.to().startsWith("{" + PathCaptures.WHOLE_PATH + "}")) {
            throw new InvalidRuleException(key + "to", rule.to(), name + "to must be a path starting with /: a rewrite stays on this server"
                    + " (pier.redirects sends clients elsewhere).");
        }
        RedirectTarget to;
        try {
            to = RedirectTarget.compile(rule.to(), from.names());
        } catch (IllegalArgumentException e) {
            throw new InvalidRuleException(key + "to", rule.to(), name + "to " + e.getMessage() + ".");
        }
        return new Rewrite(index, from, to);
    }

    @Override
    public void filter(HttpExchange exchange, Chain chain) throws Exception {
        HttpRequest request = exchange.request();
        RequestTarget rewritten = rewrite(request);
        if (rewritten == null) {
            chain.proceed(exchange);
            return;
        }
        if (rewritten == CLIMBS) {
            exchange.respond(ErrorResponses.of(400, "The path climbs above the site's root folder.", request));
            return;
        }
        HttpRequest handedOn = new HttpRequest(request.method(), rewritten, request.version(), request.headers(), request.body());
        chain.proceed(new ForwardingExchange(exchange) {
            @Override
            public HttpRequest request() {
                return handedOn;
            }
        });
    }

    /** Stands for a rewritten path that climbs above the root. */
    private static final RequestTarget CLIMBS = new RequestTarget("/", "/", null, "/");

    /**
     * The target the first matching rule makes, keeping the request's raw target; {@code null} if
     * no rule matches.
     */
    RequestTarget rewrite(HttpRequest request) {
        String path = RequestPath.normalize(request.rawPath());
        if (path == null) {
            return null;
        }
        for (Rewrite rewrite : rewrites) {
            Map<String, String> captures = rewrite.from().match(path);
            if (captures == null) {
                continue;
            }
            String target = rewrite.to().expand(captures, path, request.query());
            int question = target.indexOf('?');
            String newPath = RequestPath.normalize(question < 0 ? target : target.substring(0, question));
            if (newPath == null) {
                return CLIMBS;
            }
            RequestTarget parsed = RequestTarget.parse(question < 0 ? newPath : newPath + target.substring(question));
            if (parsed == null) {
                return CLIMBS;
            }
            return new RequestTarget(request.target().raw(), parsed.path(), parsed.query(), parsed.decodedPath());
        }
        return null;
    }

    @Override
    public String toString() {
        return "RewriteFilter " + List.of(rewrites);
    }
}
