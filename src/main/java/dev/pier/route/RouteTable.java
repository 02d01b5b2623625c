package dev.pier.route;

import dev.pier.http.HttpMethod;
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

    /** The routes of one path shape, by method. */
    record Shape(PathTemplate template, Map<HttpMethod, Route> byMethod) {
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
            Route clash = shape.byMethod.putIfAbsent(route.method(), route);
            if (clash != null) {
                throw new IllegalStateException("Routes " + clash + " and " + route + " match the same requests; keep one");
            }
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

    /** The route for this method and path, its variables put in {@code variables}; {@code null} if none has both. */
    Route find(HttpMethod method, String rawPath, Map<String, String> variables) {
        HttpMethod asked = method == HttpMethod.HEAD ? HttpMethod.GET : method;
        for (Shape shape : shapes) {
            Route route = shape.byMethod.get(asked);
            if (route != null) {
                variables.clear();
                if (shape.template.matches(rawPath, variables)) {
                    return route;
                }
            }
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
