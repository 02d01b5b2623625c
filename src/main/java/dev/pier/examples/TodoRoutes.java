package dev.pier.examples;

import dev.pier.observe.RequestIdFilter;
import dev.pier.route.Response;
import dev.pier.route.Routes;
import java.net.URI;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * A JSON CRUD of to-dos at {@code /examples/todos}, in memory: what a newcomer copies. Bad JSON is
 * a 400 problem, an unknown id a 404 problem (the error handler below), a method the path does not
 * take a 405 with {@code Allow}. Every answer carries its {@code X-Request-Id}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("examples")
class TodoRoutes {

    /** A to-do as the API reads and writes it; one sent without {@code done} is not done. */
    record Todo(Long id, String title, Boolean done) {

        Todo {
            done = Boolean.TRUE.equals(done);
        }
    }

    private final Map<Long, Todo> todos = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong();

    /** The built-in request id, for the example's own use: off by default, as it costs small static files a fifth of their speed. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    RequestIdFilter requestIds() {
        return new RequestIdFilter();
    }

    @Bean
    Routes todos() {
        return Routes.builder().group("/examples/todos", todos -> todos
                .get("", request -> {
                    String done = request.query("done");
                    return Response.ok(this.todos.values().stream().filter(todo -> done == null || todo.done() == Boolean.parseBoolean(done)).toList());
                })
                .post("", request -> {
                    Todo asked = request.body(Todo.class);
                    Todo created = new Todo(ids.incrementAndGet(), asked.title(), asked.done());
                    this.todos.put(created.id(), created);
                    return Response.created(URI.create("/examples/todos/" + created.id()), created);
                })
                .get("/{id}", request -> Response.ok(find(request.pathVariable("id", Long.class))))
                .put("/{id}", request -> {
                    long id = find(request.pathVariable("id", Long.class)).id();
                    Todo asked = request.body(Todo.class);
                    Todo updated = new Todo(id, asked.title(), asked.done());
                    this.todos.put(id, updated);
                    return Response.ok(updated);
                })
                .delete("/{id}", request -> {
                    this.todos.remove(find(request.pathVariable("id", Long.class)).id());
                    return Response.noContent();
                })
                .onError(NoSuchElementException.class, (e, request) -> Response.problem(404, e.getMessage())))
                .build();
    }

    private Todo find(long id) {
        Todo todo = todos.get(id);
        if (todo == null) {
            throw new NoSuchElementException("No to-do " + id);
        }
        return todo;
    }
}
