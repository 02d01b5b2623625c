package dev.pier.server;

import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;

/** Answers POST /echo with the request body; blocking, so it runs on a worker. */
final class EchoBody implements HttpHandler {

    @Override
    public boolean accepts(HttpRequest request) {
        return request.method() == HttpMethod.POST && request.path().equals("/echo");
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        return HttpResponse.status(200).contentType("application/octet-stream").body(request.body()).build();
    }
}
