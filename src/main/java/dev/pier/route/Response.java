package dev.pier.route;

import dev.pier.http.HttpHeaders;
import java.net.URI;

/**
 * What a route answers: a status, header fields and a body, which the router writes as JSON with
 * the application's {@code JsonMapper} (a {@code String} body is sent as text, a {@code byte[]}
 * as bytes, a {@link ProblemDetail} as {@code application/problem+json}).
 */
public record Response(int status, HttpHeaders headers, Object body) {

    public Response {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("Invalid status " + status);
        }
        headers = headers == null ? HttpHeaders.EMPTY : headers;
    }

    public static Response status(int status) {
        return new Response(status, HttpHeaders.EMPTY, null);
    }

    /** 200 with the value as JSON. */
    public static Response ok(Object value) {
        return new Response(200, HttpHeaders.EMPTY, value);
    }

    /** 200 with the value as JSON; the same as {@link #ok}, for readers who like it said. */
    public static Response json(Object value) {
        return ok(value);
    }

    /** 201 with {@code Location} and the created value as JSON. */
    public static Response created(URI location, Object value) {
        return new Response(201, HttpHeaders.builder().add("Location", location.toString()).build(), value);
    }

    public static Response noContent() {
        return status(204);
    }

    /** A problem (RFC 9457) with this status and detail. */
    public static Response problem(int status, String detail) {
        return new Response(status, HttpHeaders.EMPTY, ProblemDetail.of(status, detail));
    }

    /** The same response with one more header field. */
    public Response header(String name, String value) {
        return new Response(status, headers.toBuilder().add(name, value).build(), body);
    }

    /** The same response with this body, as JSON. */
    public Response body(Object value) {
        return new Response(status, headers, value);
    }
}
