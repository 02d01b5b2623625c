package dev.pier.route;

import dev.pier.http.HttpMethod;
import java.util.List;

/**
 * One route: a method and path template, a further condition or {@code null}, what answers it,
 * where it runs, the error handlers of its group and of its {@link Routes} (innermost first), and
 * the filters around it (outermost first).
 */
record Route(HttpMethod method, PathTemplate template, RoutePredicate predicate, RouteHandler handler, boolean blocking,
        List<Routes.OnError<?>> errorHandlers, List<RouteFilter> filters) {

    @Override
    public String toString() {
        return predicate == null ? method + " " + template : method + " " + template + " (" + predicate.describe() + ")";
    }
}
