package dev.pier.test;

import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpVersion;
import dev.pier.http.RequestTarget;
import dev.pier.http.UrlEncoding;
import dev.pier.route.RouteFilter;
import dev.pier.handler.ExchangeFilter;
import dev.pier.handler.FilteredHandlers;
import dev.pier.handler.HttpHandler;
import dev.pier.handler.StreamingHandler;
import dev.pier.route.Router;
import dev.pier.route.Routes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs requests through routes without a server or socket, as Spring's {@code MockMvcTester} runs
 * them through a {@code DispatcherServlet}: the {@link Router} answers them whole, HEAD, OPTIONS,
 * 405 and problem details included, and the answer comes back as a {@link TestResponse}.
 *
 * <pre>{@code
 * RouteTester routes = RouteTester.of(Routes.builder()
 *         .get("/hello/{name}", request -> Response.ok("Hello " + request.pathVariable("name")))
 *         .build());
 * assertThat(routes.get("/hello/Ada").exchange()).hasStatus(200).hasBodyText("Hello Ada");
 * }</pre>
 *
 * What the server adds on the way out ({@code Date}, {@code Server}, {@code Content-Length},
 * {@code Connection}) is not there; a path no route takes gets a plain 404 here, where the server
 * would offer it to the next handler.
 */
public final class RouteTester implements TestRequests {

    /** The server's default {@code pier.limits.body}. */
    private static final long BODY_LIMIT = 1024 * 1024;
    /** How long {@link #from} waits for a route on the application's workers. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final StreamingHandler router;
    private final JsonMapper json;

    /**
     * @param router the {@link Router}, or it inside {@link ExchangeFilter}s
     * @param json the router's mapper, which the tester's requests and responses use too
     */
    public RouteTester(StreamingHandler router, JsonMapper json) {
        this.router = router;
        this.json = json;
    }

    /** These routes alone, JSON with Jackson's defaults; each request is answered before {@code exchange()} returns. */
    public static RouteTester of(Routes... routes) {
        return of(List.of(routes), List.of(), JsonMapper.shared());
    }

    /**
     * These routes, with these filters around all of them (the first outermost, as filter beans in
     * {@code @Order}) and this mapper. Blocking routes run on the thread that calls {@code exchange()}.
     */
    public static RouteTester of(List<Routes> routes, List<RouteFilter> filters, JsonMapper json) {
        return new RouteTester(new Router(routes, filters, json, Runnable::run, BODY_LIMIT), json);
    }

    /**
     * The application's own router, with its routes, route filter beans, mapper and worker pool,
     * inside its {@link ExchangeFilter} beans (the request id among them), as the server runs it.
     */
    public static RouteTester from(ApplicationContext context) {
        HttpHandler filtered = FilteredHandlers.wrap(context.getBean(Router.class),
                context.getBeanProvider(ExchangeFilter.class).orderedStream().toList());
        return new RouteTester((StreamingHandler) filtered, context.getBean(JsonMapper.class));
    }

    @Override
    public TestRequest method(HttpMethod method, String target) {
        return new TestRequest(method, target, json, this::send);
    }

    private TestResponse send(TestRequest.Written written) {
        HttpHeaders headers = written.body().length == 0 ? written.headers()
                : written.headers().toBuilder().set("Content-Length", Integer.toString(written.body().length)).build();
        HttpRequest head = new HttpRequest(written.method(), target(written.target()), HttpVersion.HTTP_1_1, headers, null);
        if (!router.accepts(head)) {
            byte[] text = ("No route matches " + head.path() + "\n").getBytes(StandardCharsets.UTF_8);
            return new TestResponse(404, HttpHeaders.builder().add("Content-Type", "text/plain;charset=utf-8").build(), text, json);
        }
        InMemoryExchange exchange = new InMemoryExchange(head, written.body(), json);
        try {
            router.handle(exchange);
        } catch (Exception e) {
            throw new AssertionError("The router failed on " + head + " (the server would answer 500)", e);
        }
        TestResponse response = exchange.response().completeOnTimeout(null, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        if (response == null) {
            throw new AssertionError("No response to " + head + " within " + TIMEOUT.toSeconds() + " s");
        }
        return response;
    }

    private static RequestTarget target(String raw) {
        int question = raw.indexOf('?');
        String path = question < 0 ? raw : raw.substring(0, question);
        String decoded = UrlEncoding.decodePath(path);
        if (decoded == null) {
            throw new IllegalArgumentException("The path has an invalid escape: " + raw);
        }
        return new RequestTarget(raw, path, question < 0 ? null : raw.substring(question + 1), decoded);
    }
}
