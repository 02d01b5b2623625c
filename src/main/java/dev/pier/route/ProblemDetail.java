package dev.pier.route;

import dev.pier.http.HttpStatus;

/**
 * An error answer as RFC 9457 lays it out, with the field names of Spring's {@code ProblemDetail},
 * so clients of Spring applications read it unchanged: sent as {@code application/problem+json}.
 *
 * @param type a URI naming the kind of problem; {@code about:blank} when the status says it all
 * @param title the status's reason phrase, or a short summary of the type
 * @param status the HTTP status
 * @param detail what went wrong with this request, for a person
 * @param instance the request's path
 */
public record ProblemDetail(String type, String title, int status, String detail, String instance) {

    public static ProblemDetail of(int status, String detail) {
        return new ProblemDetail("about:blank", HttpStatus.reasonPhrase(status), status, detail, null);
    }

    ProblemDetail at(String path) {
        return instance != null ? this : new ProblemDetail(type, title, status, detail, path);
    }
}
