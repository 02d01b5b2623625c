package dev.pier.route;

/** What a route does with a request: a response, or an exception that an error handler, or the router, turns into one. */
@FunctionalInterface
public interface RouteHandler {

    Response handle(RouteRequest request) throws Exception;
}
