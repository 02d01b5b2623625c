package dev.pier.test;

import dev.pier.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.AssertProvider;
import org.springframework.core.ResolvableType;
import org.springframework.test.json.JsonContent;
import org.springframework.test.json.JsonConverterDelegate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A response as a test sees it, from {@link PierTestClient} over a socket or {@link RouteTester}
 * without one; {@code assertThat(response)} gives a {@link TestResponseAssert}.
 *
 * @param headers the fields, looked up ignoring case, every value of a repeated field kept
 * @param body the body's bytes; empty for HEAD, 204 and 304
 * @param json reads the body as JSON: the application's mapper when the test has one
 */
public record TestResponse(int status, HttpHeaders headers, byte[] body, JsonMapper json) implements AssertProvider<TestResponseAssert> {

    /** The first value of the field, or {@code null}. */
    public String header(String name) {
        return headers.first(name);
    }

    /** Every value of the field, in order. */
    public List<String> headers(String name) {
        return headers.all(name);
    }

    /** The body as UTF-8 text, the charset Pier writes JSON and text in. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body read as JSON into this type, for a value a test goes on with (an id it created). */
    public <T> T body(Class<T> type) {
        return json.readValue(body, type);
    }

    /** The body for Spring's JSON assertions, which convert with this response's mapper. */
    JsonContent jsonContent() {
        return new JsonContent(bodyText(), new MapperConverter(json));
    }

    @Override
    public TestResponseAssert assertThat() {
        return new TestResponseAssert(this);
    }

    /** Status, fields and the start of the body: what a failed assertion shows. */
    @Override
    public String toString() {
        String text = bodyText();
        return status + " " + headers + (text.isEmpty() ? "" : "\n" + (text.length() > 500 ? text.substring(0, 500) + "…" : text));
    }

    /** Lets {@code convertTo(Type.class)} of Spring's JSON assertions use a Jackson 3 mapper without spring-web's converters. */
    private record MapperConverter(JsonMapper json) implements JsonConverterDelegate {

        @Override
        public <T> T read(String content, ResolvableType type) {
            return json.readValue(content, json.constructType(type.getType()));
        }

        @Override
        public <T> T map(Object value, ResolvableType type) {
            return json.convertValue(value, json.constructType(type.getType()));
        }
    }
}
