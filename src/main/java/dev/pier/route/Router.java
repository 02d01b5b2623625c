package dev.pier.route;

import dev.pier.handler.HttpExchange;
import dev.pier.handler.StreamingHandler;
import dev.pier.handler.UriTemplates;
import dev.pier.http.HttpException;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.ResponseBody;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import lombok.extern.slf4j.Slf4j;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves every {@link Routes} bean as one handler on top of the streaming exchange: it takes a
 * request whose path some route matches at its head, on the event loop, gathers the body without
 * holding a thread, then runs the route on the loop or a worker as the route says. It answers what
 * routes leave out: HEAD with the GET route, OPTIONS and 405 with {@code Allow}, and every error as
 * RFC 9457 problem details ({@code application/problem+json}).
 */
@Slf4j
public final class Router implements StreamingHandler {

    private static final String PROBLEM_JSON = "application/problem+json";

    private final RouteTable table;
    private final List<RouteFilter> filters;
    private final JsonMapper json;
    private final Executor workers;
    private final long bodyLimit;

    /**
     * @param filters run around every route, the first outermost
     * @param workers where blocking routes run
     * @param bodyLimit the most body bytes a route takes
     * @throws IllegalStateException when two routes would match the same requests
     */
    public Router(List<Routes> routes, List<RouteFilter> filters, JsonMapper json, Executor workers, long bodyLimit) {
        this.table = new RouteTable(routes.stream().flatMap(each -> each.routes().stream()).toList());
        this.filters = List.copyOf(filters);
        this.json = json;
        this.workers = workers;
        this.bodyLimit = bodyLimit;
    }

    @Override
    public boolean accepts(HttpRequest request) {
        return table.matchesPath(request.rawPath());
    }

    @Override
    public boolean isBlocking() {
        return false;
    }

    @Override
    public long bodyLimit(HttpRequest head) {
        return bodyLimit;
    }

    @Override
    public String uriTemplate(HttpRequest request, int status) {
        String template = table.template(request.rawPath());
        return template == null ? UriTemplates.unmatched(status) : template;
    }

    @Override
    public void handle(HttpExchange exchange) {
        HttpRequest head = exchange.request();
        if (head.method() == HttpMethod.OPTIONS) {
            exchange.respond(HttpResponse.status(204).header("Allow", table.allowed(head.rawPath())).build());
            return;
        }
        Map<String, String> variables = new HashMap<>(4);
        Route route;
        try {
            route = table.find(head, variables);
        } catch (HttpException refused) {
            exchange.respond(problem(ProblemDetail.of(refused.status(), refused.getMessage()).at(head.path()), HttpHeaders.builder()));
            return;
        }
        if (route == null) {
            String allowed = table.allowed(head.rawPath());
            exchange.respond(problem(ProblemDetail.of(405, head.method() + " is not allowed here; allowed: " + allowed).at(head.path()),
                    HttpHeaders.builder().add("Allow", allowed)));
            return;
        }
        if (exchange.body().length() == 0 && !route.blocking()) {
            exchange.respond(answer(route, new RouteRequest(head, route.template().toString(), variables, json)));
            return;
        }
        // What the exchange's filters put in the MDC (its request id) goes with the route to where it runs later.
        Map<String, String> context = MDC.getCopyOfContextMap();
        if (exchange.body().length() == 0) {
            runOnWorker(exchange, route, new RouteRequest(head, route.template().toString(), variables, json), context);
            return;
        }
        exchange.body().readAll(bodyLimit).whenComplete((body, failure) -> inContext(context, () -> {
            if (failure != null) {
                RouteRequest request = new RouteRequest(head, route.template().toString(), variables, json);
                exchange.respond(write(errorResponse(unwrap(failure), route, request), request));
                return;
            }
            RouteRequest request = new RouteRequest(new HttpRequest(head.method(), head.target(), head.version(), head.headers(), body),
                    route.template().toString(), variables, json);
            if (route.blocking()) {
                runOnWorker(exchange, route, request, context);
            } else {
                exchange.respond(answer(route, request));
            }
        }));
    }

    private void runOnWorker(HttpExchange exchange, Route route, RouteRequest request, Map<String, String> context) {
        try {
            workers.execute(() -> inContext(context, () -> exchange.respond(answer(route, request))));
        } catch (RejectedExecutionException e) {
            exchange.respond(problem(ProblemDetail.of(503, "The server is too busy; try again shortly.").at(request.path()), HttpHeaders.builder()));
        }
    }

    /** Runs the task with the MDC it was dispatched with, and leaves the thread's own as it found it. */
    private static void inContext(Map<String, String> context, Runnable task) {
        if (context == null) {
            task.run();
            return;
        }
        Map<String, String> previous = MDC.getCopyOfContextMap();
        MDC.setContextMap(context);
        try {
            task.run();
        } finally {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        }
    }

    /**
     * Runs the filters (the beans', then the route's) around the route, whose failures its error
     * handlers answer inside the filters, so a filter sees every answer; what a filter throws
     * itself becomes a problem too.
     */
    private HttpResponse answer(Route route, RouteRequest request) {
        RouteFilter.Chain chain = routed -> handled(route, routed);
        for (int i = route.filters().size() - 1; i >= 0; i--) {
            chain = wrap(route.filters().get(i), chain);
        }
        for (int i = filters.size() - 1; i >= 0; i--) {
            chain = wrap(filters.get(i), chain);
        }
        try {
            return write(chain.next(request), request);
        } catch (Throwable e) {
            rethrowFatal(e);
            return write(errorResponse(e, null, request), request);
        }
    }

    private static RouteFilter.Chain wrap(RouteFilter filter, RouteFilter.Chain next) {
        return request -> filter.filter(request, next);
    }

    private Response handled(Route route, RouteRequest request) {
        try {
            Response response = route.handler().handle(request);
            if (response == null) {
                throw new IllegalStateException("Route " + request.route() + " returned no response");
            }
            return response;
        } catch (Throwable e) {
            rethrowFatal(e);
            return errorResponse(e, route, request);
        }
    }

    /** The JVM's own failures are not the request's: they go on to the thread's owner to report. */
    private static void rethrowFatal(Throwable e) {
        if (e instanceof VirtualMachineError fatal && !(e instanceof StackOverflowError)) {
            throw fatal;
        }
    }

    /** The route's error handlers first (none for a filter's failure); else the exception's status, or a 500. */
    private Response errorResponse(Throwable failure, Route route, RouteRequest request) {
        if (route != null) {
            for (Routes.OnError<?> onError : route.errorHandlers()) {
                if (onError.type().isInstance(failure)) {
                    try {
                        return handle(onError, failure, request);
                    } catch (Throwable e) {
                        rethrowFatal(e);
                        failure = e;
                        break;
                    }
                }
            }
        }
        if (failure instanceof HttpException http) {
            return Response.problem(http.status(), http.getMessage());
        }
        log.error("Route {} failed", request, failure);
        // Whatever the route left half done, the connection does not carry another request.
        return Response.problem(500, "The server could not complete the request.").header("Connection", "close");
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> Response handle(Routes.OnError<E> onError, Throwable failure, RouteRequest request) throws Exception {
        return onError.handler().handle((E) failure, request);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** A route's response as bytes: JSON through the application's mapper, text and bytes as they are. */
    private HttpResponse write(Response response, RouteRequest request) {
        if (response == null) {
            response = errorResponse(new IllegalStateException("A filter returned no response"), null, request);
        }
        HttpHeaders.Builder headers = response.headers().toBuilder();
        Object body = response.body();
        byte[] bytes;
        String type;
        if (body == null) {
            bytes = null;
            type = null;
        } else if (body instanceof byte[] raw) {
            bytes = raw;
            type = "application/octet-stream";
        } else if (body instanceof String text) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
            type = "text/plain;charset=utf-8";
        } else if (body instanceof ProblemDetail problem) {
            bytes = json.writeValueAsBytes(problem.at(request.path()));
            type = PROBLEM_JSON;
        } else {
            bytes = json.writeValueAsBytes(body);
            type = "application/json";
        }
        if (type != null && !headers.contains("Content-Type")) {
            headers.add("Content-Type", type);
        }
        return new HttpResponse(response.status(), headers.build(), bytes == null ? ResponseBody.EMPTY : ResponseBody.Bytes.of(bytes));
    }

    private HttpResponse problem(ProblemDetail detail, HttpHeaders.Builder headers) {
        headers.add("Content-Type", PROBLEM_JSON);
        return new HttpResponse(detail.status(), headers.build(), ResponseBody.Bytes.of(json.writeValueAsBytes(detail)));
    }
}
