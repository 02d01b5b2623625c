package dev.pier.route;

import dev.pier.http.HttpMethod;
import java.util.List;

/**
 * One route: a method and path template, what answers it, where it runs, the error handlers of
 * its group and of its {@link Routes} (innermost first), and the filters around it (outermost first).
 */
record Route(HttpMethod method, PathTemplate template, RouteHandler handler, boolean blocking, List<Routes.OnError<?>> errorHandlers,
        List<RouteFilter> filters) {

    @Override
    public String toString() {
        return method + " " + template;
    }
}
