package dev.pier.http;

/** The request line and header fields, before the body is read. */
public record RequestHead(HttpMethod method, RequestTarget target, HttpVersion version, HttpHeaders headers) {
}
