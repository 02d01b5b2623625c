package dev.pier.actuator;

import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.handler.HttpHandler;
import dev.pier.handler.Listener;
import dev.pier.handler.UriTemplates;
import java.util.List;
import java.util.Map;

/**
 * Health groups' additional paths, such as {@code /livez} and {@code /readyz} on the application's
 * port when {@code management.endpoint.health.probes.add-additional-paths} is true, so that probes
 * reach the port that serves traffic even when Actuator lives on a management port. One instance
 * per listener, for the paths of its namespace.
 */
final class AdditionalHealthPathsHandler implements HttpHandler {

    private final List<OperationRoute> routes;
    private final OperationInvoker invoker;
    private final Listener listener;

    AdditionalHealthPathsHandler(List<OperationRoute> routes, OperationInvoker invoker, Listener listener) {
        this.routes = List.copyOf(routes);
        this.invoker = invoker;
        this.listener = listener;
    }

    @Override
    public Listener listener() {
        return listener;
    }

    @Override
    public boolean accepts(HttpRequest request) {
        return (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) && find(request) != null;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        OperationRoute route = find(request);
        return invoker.invoke(route, route.match(OperationRoute.split(request.path())), request);
    }

    @Override
    public String uriTemplate(HttpRequest request, int status) {
        OperationRoute route = find(request);
        return route == null ? UriTemplates.unmatched(status) : route.template();
    }

    private OperationRoute find(HttpRequest request) {
        String[] path = OperationRoute.split(request.path());
        for (OperationRoute route : routes) {
            Map<String, Object> variables = route.match(path);
            if (variables != null) {
                return route;
            }
        }
        return null;
    }
}
