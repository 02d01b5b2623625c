package dev.pier.rules;

import dev.pier.handler.ExchangeFilter;
import dev.pier.handler.ForwardingExchange;
import dev.pier.handler.HttpExchange;
import dev.pier.handler.ResponseStream;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpResponse;
import dev.pier.http.PathPattern;
import dev.pier.http.Syntax;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Response header fields by path pattern ({@code pier.headers}), as nginx's {@code add_header
 * … always} in a {@code location} or Caddy's {@code header}: on every response of every handler
 * (static files, routes, Actuator, redirects, 401s) whose request path matches. Each field is set,
 * replacing what the handler sent; an empty value removes it. When several patterns match, all of
 * them apply, and for a field named by more than one the most specific pattern decides
 * ({@link PathPattern#MOST_SPECIFIC_FIRST}), so a map's order never matters.
 *
 * <p>The path is the request's, percent-decoded with dot segments removed, as basic auth matches
 * it: {@code /docs/} is {@code /docs/}, not the {@code /docs/index.html} that
 * {@code pier.cache-control} matches. Fields that frame the message ({@code Content-Length},
 * {@code Transfer-Encoding}, {@code Connection} and the other hop-by-hop fields) belong to the
 * server and are refused.
 */
public final class ResponseHeadersFilter implements ExchangeFilter {

    /** Fields the server writes to frame the message or manage the connection; a rule cannot set or remove them. */
    static final Set<String> SERVER_FIELDS = Set.of("content-length", "transfer-encoding", "connection", "keep-alive", "upgrade",
            "proxy-connection", "te", "trailer");

    /** One field of a rule: set to a value, or removed when {@code value} is {@code null}. */
    record Field(String name, String lowerName, String value) {
    }

    private record Rule(PathPattern pattern, Field[] fields) {
    }

    private final Rule[] rules;

    /**
     * @param rules path pattern to field name to value (empty: remove the field); names and values checked
     *     with {@link #isValidName} and {@link #isValidValue} first
     * @throws IllegalArgumentException if a pattern, a name or a value is invalid
     */
    public ResponseHeadersFilter(Map<String, Map<String, String>> rules) {
        List<Rule> compiled = new ArrayList<>(rules.size());
        rules.forEach((pattern, fields) -> {
            List<Field> list = new ArrayList<>();
            (fields == null ? Map.<String, String>of() : fields).forEach((name, value) -> {
                if (!isValidName(name) || !isValidValue(value)) {
                    throw new IllegalArgumentException("Invalid header field " + name + ": " + value);
                }
                String trimmed = value == null ? "" : value.strip();
                list.add(new Field(name, name.toLowerCase(Locale.ROOT), trimmed.isEmpty() ? null : trimmed));
            });
            compiled.add(new Rule(PathPattern.compile(pattern), list.toArray(Field[]::new)));
        });
        compiled.sort((a, b) -> PathPattern.MOST_SPECIFIC_FIRST.compare(a.pattern, b.pattern));
        this.rules = compiled.toArray(Rule[]::new);
    }

    /** A field name (an RFC 9110 token) that the server does not own. */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || SERVER_FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Syntax.isTokenChar(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A field value without CR, LF or any other control character but HTAB; empty means remove. */
    public static boolean isValidValue(String value) {
        if (value == null) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Syntax.isForbiddenInValue(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void filter(HttpExchange exchange, Chain chain) throws Exception {
        List<Field> fields = fieldsFor(RequestPath.withoutDotSegments(exchange.request().path()));
        if (fields.isEmpty()) {
            chain.proceed(exchange);
            return;
        }
        chain.proceed(new ForwardingExchange(exchange) {

            @Override
            public void respond(HttpResponse response) {
                super.respond(new HttpResponse(response.status(), apply(fields, response.headers()), response.body()));
            }

            @Override
            public ResponseStream stream(int status, HttpHeaders headers) {
                return super.stream(status, apply(fields, headers));
            }
        });
    }

    /** The fields to set or remove for a path, each name once, from the most specific pattern naming it. */
    List<Field> fieldsFor(String path) {
        List<Field> fields = null;
        Set<String> decided = null;
        for (Rule rule : rules) {
            if (!rule.pattern.matches(path)) {
                continue;
            }
            if (fields == null) {
                fields = new ArrayList<>();
                decided = new HashSet<>();
            }
            for (Field field : rule.fields) {
                if (decided.add(field.lowerName)) {
                    fields.add(field);
                }
            }
        }
        return fields == null ? List.of() : fields;
    }

    private static HttpHeaders apply(List<Field> fields, HttpHeaders headers) {
        HttpHeaders.Builder builder = headers.toBuilder();
        for (Field field : fields) {
            if (field.value == null) {
                builder.remove(field.name);
            } else {
                builder.set(field.name, field.value);
            }
        }
        return builder.build();
    }

    @Override
    public String toString() {
        return "ResponseHeadersFilter " + List.of(rules);
    }
}
