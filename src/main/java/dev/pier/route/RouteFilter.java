package dev.pier.route;

/**
 * Runs around routes, as a servlet filter or WebMvc.fn's {@code HandlerFilterFunction} does: it
 * may look at the request, answer instead of the route, or change what the route answered. As a
 * bean it wraps every route (beans in {@code @Order}, the first outermost); declared in a
 * {@link Routes.Builder} it wraps the routes added there, inside the beans.
 */
@FunctionalInterface
public interface RouteFilter {

    /** What comes next: the following filter, in the end the route. */
    @FunctionalInterface
    interface Chain {

        Response next(RouteRequest request) throws Exception;
    }

    Response filter(RouteRequest request, Chain next) throws Exception;
}
