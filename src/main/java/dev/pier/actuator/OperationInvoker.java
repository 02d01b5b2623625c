package dev.pier.actuator;

import dev.pier.handler.ErrorResponses;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.ResponseBody;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.OperationArgumentResolver;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.ProducibleOperationArgumentResolver;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.core.io.Resource;
import org.springframework.util.MimeType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Invokes an endpoint operation for a request and turns its result into a response, as Spring
 * MVC's endpoint adapter does: path variables, query parameters and a JSON body become
 * arguments; {@code null} is 404 for reads and 204 otherwise; a {@link WebEndpointResponse}
 * carries its status and type; anything else is 200, serialized as JSON.
 */
final class OperationInvoker {

    private final JsonMapper json;
    private final WebServerNamespace namespace;

    OperationInvoker(JsonMapper json, WebServerNamespace namespace) {
        this.json = json;
        this.namespace = namespace;
    }

    HttpResponse invoke(OperationRoute route, Map<String, Object> pathVariables, HttpRequest request) {
        String accept = request.header("Accept");
        String contentType = ContentNegotiation.select(accept, route.produces());
        if (contentType == null) {
            return ErrorResponses.of(406, "This endpoint produces " + String.join(", ", route.produces()) + ".", request);
        }
        Map<String, Object> arguments = new HashMap<>(pathVariables);
        request.queryParameters().forEach((name, values) -> arguments.put(name, values.size() == 1 ? values.get(0) : values));
        if (request.method() == HttpMethod.POST && request.body().length > 0) {
            try {
                arguments.putAll(json.readValue(request.body(), Map.class));
            } catch (JacksonException e) {
                return ErrorResponses.of(400, "The body is not a JSON object.", request);
            }
        }
        InvocationContext context = new InvocationContext(SecurityContext.NONE, arguments,
                OperationArgumentResolver.of(WebServerNamespace.class, () -> namespace),
                new ProducibleOperationArgumentResolver(() -> accept == null ? List.of() : List.of(accept)));
        Object result;
        try {
            result = route.operation().invoke(context);
        } catch (InvalidEndpointRequestException e) {
            return ErrorResponses.of(400, e.getReason(), request);
        }
        return toResponse(result, route.operation().getType(), contentType);
    }

    HttpResponse json(int status, Object body, String contentType) {
        return HttpResponse.status(status).contentType(contentType).body(json.writeValueAsBytes(body)).build();
    }

    private HttpResponse toResponse(Object result, OperationType operation, String negotiated) {
        if (result == null) {
            // By the operation, not the request method: HEAD runs the read and must get GET's status.
            return HttpResponse.status(operation == OperationType.READ ? 404 : 204).build();
        }
        if (!(result instanceof WebEndpointResponse<?> response)) {
            return body(200, result, negotiated);
        }
        MimeType type = response.getContentType();
        String contentType = type != null ? type.toString() : negotiated;
        return response.getBody() == null ? HttpResponse.status(response.getStatus()).build() : body(response.getStatus(), response.getBody(), contentType);
    }

    private HttpResponse body(int status, Object body, String contentType) {
        HttpResponse.Builder response = HttpResponse.status(status).contentType(contentType);
        if (body instanceof byte[] bytes) {
            return response.body(bytes).build();
        }
        if (body instanceof CharSequence text) {
            return response.body(text.toString().getBytes(StandardCharsets.UTF_8)).build();
        }
        if (body instanceof Resource resource) {
            return response.body(read(resource)).build();
        }
        return response.body(json.writeValueAsBytes(body)).build();
    }

    /** A file resource (a heap dump, a log file) goes out zero-copy like any static file. */
    private static ResponseBody read(Resource resource) {
        try {
            if (resource.isFile()) {
                FileChannel channel = FileChannel.open(resource.getFile().toPath());
                return new ResponseBody.FileRegion(channel, 0, channel.size());
            }
            try (var in = resource.getInputStream()) {
                return ResponseBody.Bytes.of(in.readAllBytes());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not read " + resource, e);
        }
    }
}
