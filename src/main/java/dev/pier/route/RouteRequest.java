package dev.pier.route;

import dev.pier.http.HttpException;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request as a route sees it: the request, the route that matched it, its path variables, and
 * its body read as JSON by the application's {@code JsonMapper}. A variable or body that cannot be
 * read as asked is the client's mistake: 400, saying what failed, never a 500.
 */
public final class RouteRequest {

    private final HttpRequest request;
    private final String route;
    private final Map<String, String> variables;
    private final JsonMapper json;

    RouteRequest(HttpRequest request, String route, Map<String, String> variables, JsonMapper json) {
        this.request = request;
        this.route = route;
        this.variables = variables;
        this.json = json;
    }

    /** The request itself, body included. */
    public HttpRequest http() {
        return request;
    }

    public HttpMethod method() {
        return request.method();
    }

    /** The decoded path. */
    public String path() {
        return request.path();
    }

    /** The template of the route that matched, such as {@code /orders/{id}}. */
    public String route() {
        return route;
    }

    public HttpHeaders headers() {
        return request.headers();
    }

    public String header(String name) {
        return request.header(name);
    }

    /** The first value of a query parameter, or {@code null}. */
    public String query(String name) {
        List<String> values = request.queryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A path variable of the route, decoded; {@code {*rest}} gives the rest of the path without its leading slash. */
    public String pathVariable(String name) {
        String value = variables.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Route " + route + " has no path variable " + name);
        }
        return value;
    }

    /**
     * A path variable converted to {@code Integer}, {@code Long}, {@code UUID}, {@code Boolean} or
     * {@code String}.
     *
     * @throws HttpException 400 if it is not one
     */
    public <T> T pathVariable(String name, Class<T> type) {
        String value = pathVariable(name);
        try {
            Object converted;
            if (type == String.class) {
                converted = value;
            } else if (type == Integer.class || type == int.class) {
                converted = Integer.valueOf(value);
            } else if (type == Long.class || type == long.class) {
                converted = Long.valueOf(value);
            } else if (type == UUID.class) {
                converted = UUID.fromString(value);
            } else if (type == Boolean.class || type == boolean.class) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new IllegalArgumentException(value);
                }
                converted = Boolean.valueOf(value);
            } else {
                throw new IllegalArgumentException("Path variables convert to String, Integer, Long, UUID or Boolean, not " + type.getName());
            }
            @SuppressWarnings("unchecked")
            T result = (T) converted;
            return result;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Path variables convert")) {
                throw e;
            }
            throw new HttpException(400, "Path variable " + name + " is not a valid " + type.getSimpleName() + ": " + value);
        }
    }

    /**
     * The body read as JSON into this type.
     *
     * @throws HttpException 400 when it is empty, not JSON, or not of the type's shape; 415 when it
     *     says it is something other than JSON
     */
    public <T> T body(Class<T> type) {
        String contentType = request.header("Content-Type");
        if (contentType != null && !isJson(contentType)) {
            throw new HttpException(415, "The body must be JSON (application/json), not " + contentType);
        }
        byte[] body = request.body();
        if (body == null || body.length == 0) {
            throw new HttpException(400, "The request needs a JSON body");
        }
        try {
            return json.readValue(body, type);
        } catch (JacksonException e) {
            throw new HttpException(400, "The JSON body could not be read: " + e.getOriginalMessage());
        }
    }

    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json");
    }

    @Override
    public String toString() {
        return request.method() + " " + request.target().raw() + " (" + route + ")";
    }
}
