package dev.pier.route;

import dev.pier.http.HttpException;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every route, grouped by path shape and ordered most specific first, compiled once. A request
 * takes the first shape whose template matches its path and has its method; the methods of every
 * matching shape make the {@code Allow} of a 405 or an {@code OPTIONS} answer.
 */
final class RouteTable {

    /** The routes of one path shape, by method: those with predicates in the order added, then the one without. */
    record Shape(PathTemplate template, Map<HttpMethod, List<Route>> byMethod) {
    }

    private final Shape[] shapes;

    /** @throws IllegalStateException naming both routes when two of one method would match the same paths */
    RouteTable(Collection<Route> routes) {
        List<Shape> built = new ArrayList<>();
        for (Route route : routes) {
            Shape shape = built.stream().filter(existing -> existing.template.sameShape(route.template())).findFirst().orElse(null);
            if (shape == null) {
                shape = new Shape(route.template(), new EnumMap<>(HttpMethod.class));
                built.add(shape);
            }
            List<Route> same = shape.byMethod.computeIfAbsent(route.method(), method -> new ArrayList<>());
            Route unconditional = same.isEmpty() || same.get(same.size() - 1).predicate() != null ? null : same.get(same.size() - 1);
            if (unconditional != null && route.predicate() == null) {
                throw new IllegalStateException("Routes " + unconditional + " and " + route + " match the same requests; keep one");
            }
            // A route without a predicate takes what the others leave, so it goes last.
            same.add(unconditional == null ? same.size() : same.size() - 1, route);
        }
        built.sort((a, b) -> a.template.compareTo(b.template));
        this.shapes = built.toArray(Shape[]::new);
    }

    boolean isEmpty() {
        return shapes.length == 0;
    }

    /** Whether some route's path matches. */
    boolean matchesPath(String rawPath) {
        for (Shape shape : shapes) {
            if (shape.template.matches(rawPath, null)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The route for this request's method and path whose predicate, if any, holds, its variables
     * put in {@code variables}; {@code null} if no route has both method and path.
     *
     * @throws HttpException with the refusal of the last predicate tried when routes have the
     *     method and path but each refuses the request
     */
    Route find(HttpRequest request, Map<String, String> variables) {
        HttpMethod asked = request.method() == HttpMethod.HEAD ? HttpMethod.GET : request.method();
        RoutePredicate refused = null;
        for (Shape shape : shapes) {
            List<Route> routes = shape.byMethod.get(asked);
            if (routes != null) {
                variables.clear();
                if (shape.template.matches(request.rawPath(), variables)) {
                    for (Route route : routes) {
                        if (route.predicate() == null || route.predicate().test(request)) {
                            return route;
                        }
                        refused = route.predicate();
                    }
                }
            }
        }
        if (refused != null) {
            throw new HttpException(refused.refusal(), "This route needs " + refused.describe());
        }
        return null;
    }

    /** The methods the path can be asked with, HEAD with GET, and OPTIONS; for {@code Allow}. */
    String allowed(String rawPath) {
        Map<String, Boolean> methods = new TreeMap<>();
        for (Shape shape : shapes) {
            if (shape.template.matches(rawPath, null)) {
                for (HttpMethod method : shape.byMethod.keySet()) {
                    methods.put(method.name(), true);
                    if (method == HttpMethod.GET) {
                        methods.put("HEAD", true);
                    }
                }
            }
        }
        methods.put("OPTIONS", true);
        return String.join(", ", methods.keySet());
    }

    /** The template of the most specific route whose path matches, for the {@code uri} tag; {@code null} if none. */
    String template(String rawPath) {
        for (Shape shape : shapes) {
            if (shape.template.matches(rawPath, null)) {
                return shape.template.toString();
            }
        }
        return null;
    }
}
