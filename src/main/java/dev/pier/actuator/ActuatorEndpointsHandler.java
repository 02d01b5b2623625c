package dev.pier.actuator;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.HttpHandler;
import dev.pier.handler.Listener;
import dev.pier.handler.UriTemplates;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.actuate.endpoint.web.EndpointLinksResolver;
import org.springframework.boot.actuate.endpoint.web.Link;

/**
 * Actuator's exposed web endpoints under {@code management.endpoints.web.base-path}, plus the
 * links page at the base path itself. Blocking, since health indicators may call databases.
 */
final class ActuatorEndpointsHandler implements HttpHandler {

    private final String basePath;
    private final List<OperationRoute> routes;
    private final EndpointLinksResolver links;
    private final OperationInvoker invoker;
    private final List<String> linksMediaTypes;

    ActuatorEndpointsHandler(String basePath, List<OperationRoute> routes, EndpointLinksResolver links, OperationInvoker invoker,
            List<String> linksMediaTypes) {
        this.basePath = basePath;
        // Exact routes first: /actuator/health is health's own operation, not {*path} with nothing left.
        this.routes = routes.stream().sorted(Comparator.comparing((OperationRoute route) -> route.matchAllVariable() != null)).toList();
        this.links = links;
        this.invoker = invoker;
        this.linksMediaTypes = List.copyOf(linksMediaTypes);
    }

    @Override
    public boolean accepts(HttpRequest request) {
        String path = request.path();
        return path.startsWith(basePath) && (path.length() == basePath.length() || path.charAt(basePath.length()) == '/');
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String[] path = OperationRoute.split(request.path());
        if (path.length == OperationRoute.split(basePath).length) {
            return linksPage(request);
        }
        List<OperationRoute> matching = routes.stream().filter(route -> route.match(path) != null).toList();
        for (OperationRoute route : matching) {
            if (route.method() == request.method() || (route.method() == HttpMethod.GET && request.method() == HttpMethod.HEAD)) {
                return invoker.invoke(route, route.match(path), request);
            }
        }
        if (matching.isEmpty()) {
            return ErrorResponses.of(404, "No endpoint is exposed at this path.", request);
        }
        return ErrorResponses.methodNotAllowed(matching.stream().map(route -> route.method().name()).distinct().collect(Collectors.joining(", ")), request);
    }

    /** The operation's route, as Spring MVC tags Actuator's requests: {@code /actuator/health/{*path}}, the base path for the links page. */
    @Override
    public String uriTemplate(HttpRequest request, int status) {
        String[] path = OperationRoute.split(request.path());
        if (path.length == OperationRoute.split(basePath).length) {
            return basePath.isEmpty() ? UriTemplates.ROOT : basePath;
        }
        for (OperationRoute route : routes) {
            if (route.match(path) != null
                    && (route.method() == request.method() || route.method() == HttpMethod.GET && request.method() == HttpMethod.HEAD)) {
                return route.template();
            }
        }
        return UriTemplates.unmatched(status);
    }

    private HttpResponse linksPage(HttpRequest request) {
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            return ErrorResponses.methodNotAllowed("GET, HEAD", request);
        }
        String contentType = ContentNegotiation.select(request.header("Accept"), linksMediaTypes);
        if (contentType == null) {
            return ErrorResponses.of(406, "The links page produces " + String.join(", ", linksMediaTypes) + ".", request);
        }
        String host = request.header("Host") == null ? "localhost" : request.header("Host");
        Map<String, Link> resolved = links.resolveLinks("http://" + host + basePath);
        return invoker.json(200, Map.of("_links", resolved), contentType);
    }

    @Override
    public Listener listener() {
        return Listener.MANAGEMENT;
    }

    @Override
    public String toString() {
        return "Actuator endpoints at " + basePath;
    }
}
