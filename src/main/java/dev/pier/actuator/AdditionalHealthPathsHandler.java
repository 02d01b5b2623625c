package dev.pier.actuator;

import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.handler.HttpHandler;
import dev.pier.handler.Listener;
import dev.pier.handler.UriTemplates;
import java.util.Map;

/**
 * Health groups' additional paths, such as {@code /livez} and {@code /readyz} on the application's
 * port when {@code management.endpoint.health.probes.add-additional-paths} is true, so that probes
 * reach the port that serves traffic even when Actuator lives on a management port. One instance
 * per listener, for the paths of its namespace.
 */
final class AdditionalHealthPathsHandler implements HttpHandler {

    /** By exact path: matched on the event loop for every request, so a map lookup, not a pattern match. */
    private final Map<String, OperationRoute> routes;
    private final OperationInvoker invoker;
    private final Listener listener;

    AdditionalHealthPathsHandler(Map<String, OperationRoute> routes, OperationInvoker invoker, Listener listener) {
        this.routes = Map.copyOf(routes);
        this.invoker = invoker;
        this.listener = listener;
    }

    @Override
    public Listener listener() {
        return listener;
    }

    @Override
    public boolean accepts(HttpRequest request) {
        return (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) && routes.containsKey(request.path());
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        OperationRoute route = routes.get(request.path());
        return invoker.invoke(route, route.match(OperationRoute.split(request.path())), request);
    }

    @Override
    public String uriTemplate(HttpRequest request, int status) {
        OperationRoute route = routes.get(request.path());
        return route == null ? UriTemplates.unmatched(status) : route.template();
    }
}
