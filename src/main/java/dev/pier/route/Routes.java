package dev.pier.route;

import dev.pier.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Routes, declared as a Spring bean (several beans compose, in {@code @Order}):
 *
 * <pre>{@code
 * @Bean
 * Routes orders(OrderService service) {
 *     return Routes.builder()
 *             .get("/orders/{id}", request -> Response.ok(service.find(request.pathVariable("id", Long.class))))
 *             .post("/orders", request -> ...)
 *             .group("/admin", admin -> admin.delete("/orders/{id}", ...))
 *             .onError(NoSuchElementException.class, (e, request) -> Response.problem(404, e.getMessage()))
 *             .build();
 * }
 * }</pre>
 *
 * Routes run on a worker unless declared {@link Builder#onEventLoop() on the event loop}, where
 * a handler must never block. Paths: literal segments, {@code {name}} variables, a trailing
 * {@code {*rest}}; a literal segment beats a variable, which beats the rest. Two routes of one
 * method whose paths match the same requests are refused when the application starts, unless
 * {@link RoutePredicate}s tell them apart ({@code post("/orders", contentType("application/json"), ...)}).
 */
public final class Routes {

    /** An error handler for one type of exception. */
    record OnError<E extends Throwable>(Class<E> type, ErrorHandler<E> handler) {
    }

    private final List<Route> routes;

    private Routes(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    List<Route> routes() {
        return routes;
    }

    public static Builder builder() {
        return new Builder("", true);
    }

    /** Adds routes; a group's settings (prefix, event loop or worker, error handlers) apply to what is added through it. */
    public static final class Builder {

        private final String prefix;
        private boolean blocking;
        private final List<OnError<?>> errorHandlers = new ArrayList<>();
        private final List<RouteFilter> filters = new ArrayList<>();
        private final List<Pending> pending = new ArrayList<>();

        /** A route or a group, resolved at build time so error handlers declared after it still apply. */
        private sealed interface Pending permits One, Group {
        }

        private record One(HttpMethod method, String path, RoutePredicate predicate, RouteHandler handler, boolean blocking) implements Pending {
        }

        private record Group(Builder builder) implements Pending {
        }

        private Builder(String prefix, boolean blocking) {
            this.prefix = prefix;
            this.blocking = blocking;
        }

        public Builder get(String path, RouteHandler handler) {
            return add(HttpMethod.GET, path, null, handler);
        }

        public Builder get(String path, RoutePredicate predicate, RouteHandler handler) {
            return add(HttpMethod.GET, path, predicate, handler);
        }

        public Builder post(String path, RouteHandler handler) {
            return add(HttpMethod.POST, path, null, handler);
        }

        public Builder post(String path, RoutePredicate predicate, RouteHandler handler) {
            return add(HttpMethod.POST, path, predicate, handler);
        }

        public Builder put(String path, RouteHandler handler) {
            return add(HttpMethod.PUT, path, null, handler);
        }

        public Builder put(String path, RoutePredicate predicate, RouteHandler handler) {
            return add(HttpMethod.PUT, path, predicate, handler);
        }

        public Builder patch(String path, RouteHandler handler) {
            return add(HttpMethod.PATCH, path, null, handler);
        }

        public Builder patch(String path, RoutePredicate predicate, RouteHandler handler) {
            return add(HttpMethod.PATCH, path, predicate, handler);
        }

        public Builder delete(String path, RouteHandler handler) {
            return add(HttpMethod.DELETE, path, null, handler);
        }

        public Builder delete(String path, RoutePredicate predicate, RouteHandler handler) {
            return add(HttpMethod.DELETE, path, predicate, handler);
        }

        /** @param predicate a further condition on the request's head, or {@code null} for none */
        public Builder add(HttpMethod method, String path, RoutePredicate predicate, RouteHandler handler) {
            if (method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
                throw new IllegalArgumentException("HEAD and OPTIONS are answered from the routes: HEAD by the GET route, OPTIONS with Allow");
            }
            pending.add(new One(method, prefix + path, predicate, handler, blocking));
            return this;
        }

        /** Routes added from now on in this builder run on the event loop: they must never block. */
        public Builder onEventLoop() {
            blocking = false;
            return this;
        }

        /** Routes added from now on in this builder run on a worker (the default). */
        public Builder onWorkers() {
            blocking = true;
            return this;
        }

        /** Routes under a common prefix, with error handlers of their own, tried before this builder's. */
        public Builder group(String pathPrefix, Consumer<Builder> routes) {
            if (!pathPrefix.startsWith("/") || pathPrefix.endsWith("/")) {
                throw new IllegalArgumentException("A group prefix starts with / and does not end with one: " + pathPrefix);
            }
            Builder group = new Builder(prefix + pathPrefix, blocking);
            routes.accept(group);
            pending.add(new Group(group));
            return this;
        }

        /** Runs around the routes of this builder, its groups' included; filters added first run outermost. */
        public Builder filter(RouteFilter filter) {
            filters.add(filter);
            return this;
        }

        /** Answers exceptions of this type (and its subtypes) thrown by the routes of this builder. */
        public <E extends Throwable> Builder onError(Class<E> type, ErrorHandler<E> handler) {
            errorHandlers.add(new OnError<>(type, handler));
            return this;
        }

        public Routes build() {
            List<Route> built = new ArrayList<>();
            collect(built, List.of(), List.of());
            return new Routes(built);
        }

        /**
         * Adds this builder's routes, each with its error handlers (this builder's, then the
         * enclosing ones') and its filters (the enclosing ones', then this builder's).
         */
        private void collect(List<Route> into, List<OnError<?>> enclosingHandlers, List<RouteFilter> enclosingFilters) {
            List<OnError<?>> handlers = new ArrayList<>(errorHandlers);
            handlers.addAll(enclosingHandlers);
            List<RouteFilter> around = new ArrayList<>(enclosingFilters);
            around.addAll(filters);
            for (Pending next : pending) {
                if (next instanceof One one) {
                    into.add(new Route(one.method, PathTemplate.compile(one.path), one.predicate, one.handler, one.blocking, List.copyOf(handlers),
                            List.copyOf(around)));
                } else if (next instanceof Group group) {
                    group.builder.collect(into, List.copyOf(handlers), List.copyOf(around));
                }
            }
        }
    }
}
