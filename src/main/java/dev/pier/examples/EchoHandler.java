package dev.pier.examples;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * An example of the handler SPI, active with the {@code examples} profile: {@code POST /echo}
 * answers with the form fields it received, as JSON. Blocking by default, so it runs on the worker
 * pool.
 */
@Component
@Profile("examples")
@Order(0)
class EchoHandler implements HttpHandler {

    private final JsonMapper json;

    EchoHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public boolean accepts(HttpRequest request) {
        return request.method() == HttpMethod.POST && request.path().equals("/echo");
    }

    @Override
    public String uriTemplate(HttpRequest request, int status) {
        return "/echo";
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        return HttpResponse.status(200)
                .contentType("application/json")
                .body(json.writeValueAsBytes(request.formFields()))
                .build();
    }
}
