package dev.pier.test;

import java.util.List;
import java.util.Locale;
import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.Assertions;
import org.springframework.test.json.JsonContentAssert;

/**
 * Assertions on a {@link TestResponse}, in the manner of Spring's {@code MvcTestResultAssert}:
 * status and fields here, the body as text or, through {@link #bodyJson()}, with Spring's own JSON
 * path and comparison assertions. A failure shows the whole response (its body cut at 500 characters).
 */
public final class TestResponseAssert extends AbstractObjectAssert<TestResponseAssert, TestResponse> {

    private static final String PROBLEM_JSON = "application/problem+json";

    TestResponseAssert(TestResponse actual) {
        super(actual, TestResponseAssert.class);
    }

    public TestResponseAssert hasStatus(int expected) {
        isNotNull();
        if (actual.status() != expected) {
            failWithMessage("Expected status %d but was %d; the response:%n%s", expected, actual.status(), actual);
        }
        return this;
    }

    /** Some value of the field (a repeated one has several) is this one. */
    public TestResponseAssert hasHeader(String name, String expected) {
        isNotNull();
        List<String> values = actual.headers(name);
        if (!values.contains(expected)) {
            failWithMessage("Expected header %s: %s but %s; the response:%n%s", name, expected,
                    values.isEmpty() ? "there was none" : "it was " + String.join(", ", values), actual);
        }
        return this;
    }

    public TestResponseAssert doesNotHaveHeader(String name) {
        isNotNull();
        if (!actual.headers(name).isEmpty()) {
            failWithMessage("Expected no header %s but it was %s; the response:%n%s", name, String.join(", ", actual.headers(name)), actual);
        }
        return this;
    }

    /**
     * The {@code Content-Type} is this one, ignoring case and spaces; without parameters in
     * {@code expected} ({@code application/json}), the actual type's parameters do not count.
     */
    public TestResponseAssert hasContentType(String expected) {
        isNotNull();
        String sent = actual.header("Content-Type");
        String wanted = normalized(expected);
        String compared = sent == null ? null : wanted.contains(";") ? normalized(sent) : normalized(sent).split(";", 2)[0];
        if (!wanted.equals(compared)) {
            failWithMessage("Expected Content-Type %s but %s; the response:%n%s", expected, sent == null ? "there was none" : "it was " + sent,
                    actual);
        }
        return this;
    }

    public TestResponseAssert hasBodyText(String expected) {
        bodyText().isEqualTo(expected);
        return this;
    }

    /** No body at all, as for HEAD, 204 and 304. */
    public TestResponseAssert hasEmptyBody() {
        isNotNull();
        if (actual.body().length > 0) {
            failWithMessage("Expected no body but there were %d bytes; the response:%n%s", actual.body().length, actual);
        }
        return this;
    }

    /**
     * An RFC 9457 problem for this status: {@code application/problem+json} whose {@code status}
     * member says it too. Go on with {@link #bodyJson()} for its {@code detail}.
     */
    public TestResponseAssert isProblem(int status) {
        hasStatus(status).hasContentType(PROBLEM_JSON);
        bodyJson().extractingPath("$.status").isEqualTo(status);
        return this;
    }

    /** The body as UTF-8 text. */
    public AbstractStringAssert<?> bodyText() {
        isNotNull();
        return Assertions.assertThat(actual.bodyText()).as("body of the %d response", actual.status());
    }

    /**
     * The body with Spring's JSON assertions: {@code extractingPath("$.title")}, lenient or strict
     * comparison, {@code convertTo(Type.class)} with the response's mapper.
     */
    public JsonContentAssert bodyJson() {
        isNotNull();
        return actual.jsonContent().assertThat();
    }

    private static String normalized(String contentType) {
        return contentType.replace(" ", "").toLowerCase(Locale.ROOT);
    }
}
