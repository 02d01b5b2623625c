package dev.pier.bench.hello;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/hello/{name}} answers {@code 200 {"message":"Hello, <name>"}} as
 * {@code application/json}, written by the application's {@link JsonMapper}: the endpoint
 * bench/handlers.py measures against Spring MVC and WebFlux. On the event loop or on Pier's
 * workers as {@code hello.blocking} says.
 */
final class HelloHandler implements HttpHandler {

    static final String PREFIX = "/api/hello/";

    record Greeting(String message) {
    }

    private final JsonMapper json;
    private final boolean blocking;

    HelloHandler(JsonMapper json, boolean blocking) {
        this.json = json;
        this.blocking = blocking;
    }

    @Override
    public boolean accepts(HttpRequest request) {
        return request.method() == HttpMethod.GET && request.rawPath().startsWith(PREFIX);
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String name = request.path().substring(PREFIX.length());
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            return HttpResponse.status(404).build();
        }
        return HttpResponse.status(200).contentType("application/json")
                .body(json.writeValueAsBytes(new Greeting("Hello, " + name))).build();
    }

    @Override
    public boolean isBlocking() {
        return blocking;
    }

    @Override
    public String uriTemplate(HttpRequest request, int status) {
        return "/api/hello/{name}";
    }
}
