package dev.pier.test;

import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request a test writes, {@code client.post("/todos").json(todo).exchange()}: header fields and
 * a body, then {@link #exchange()} sends it, over a socket or to the routes in memory, and waits for
 * the response.
 */
public final class TestRequest {

    /** The request as written, for whoever sends it. */
    record Written(HttpMethod method, String target, HttpHeaders headers, byte[] body) {
    }

    /** Sends a written request and waits for the response; fails the test (an unchecked exception) when none comes. */
    @FunctionalInterface
    interface Sender {

        TestResponse send(Written request);
    }

    private final HttpMethod method;
    private final String target;
    private final JsonMapper json;
    private final Sender sender;
    private final HttpHeaders.Builder headers = HttpHeaders.builder();
    private byte[] body = new byte[0];

    TestRequest(HttpMethod method, String target, JsonMapper json, Sender sender) {
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("A request target is a path starting with /, with its query if any: " + target);
        }
        this.method = method;
        this.target = target;
        this.json = json;
        this.sender = sender;
    }

    /** Adds a field; call again for another value. */
    public TestRequest header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    /**
     * A JSON body: the value written by the test's mapper (the application's), or a {@code String}
     * taken as JSON text already, malformed if the test wants it so.
     */
    public TestRequest json(Object value) {
        return body(value instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : json.writeValueAsBytes(value), "application/json");
    }

    /** A text body, sent as UTF-8. */
    public TestRequest body(String text, String contentType) {
        return body(text.getBytes(StandardCharsets.UTF_8), contentType);
    }

    public TestRequest body(byte[] bytes, String contentType) {
        headers.set("Content-Type", contentType);
        body = bytes;
        return this;
    }

    /** Sends the request and waits for the whole response. */
    public TestResponse exchange() {
        return sender.send(new Written(method, target, headers.build(), body));
    }
}
