package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http.HttpRequest;
import dev.pier.http1.ParseResult;
import dev.pier.http.ParserLimits;
import dev.pier.http1.RequestParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpsRedirectHandlerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "example.com | example.com",
        "example.com:80 | example.com",
        "EXAMPLE.com:8080 | EXAMPLE.com",
        "127.0.0.1:8080 | 127.0.0.1",
        "[::1]:8080 | [::1]",
        "[2001:db8::1] | [2001:db8::1]",
        "[::ffff:192.0.2.1]: | [::ffff:192.0.2.1]",
        "my_host.internal | my_host.internal",
        "example.com: | example.com",
        // Valid Host values that are still kept out of Location.
        "ex%41mple.com | null",
        "a'b.example:80 | null",
        "a~b | null",
        "[v1.x] | null",
    })
    void whenTheHostFieldIsReadThenOnlyAPlainHostSurvives(String field, String host) {
        assertThat(HttpsRedirectHandler.hostOf(field)).isEqualTo(host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com:8x", "[::1]x", "[::g]", "[::1", "ex ample", "user@example.com", "example.com/x", "caf\u00e9.example", ":8080"})
    void whenTheHostBreaksTheGrammarThenTheParserRefusesItBeforeAnyRedirect(String field) {
        ParseResult result = new RequestParser(ParserLimits.DEFAULTS).parse(buffer("GET / HTTP/1.1\r\nHost: " + field + "\r\n\r\n"));
        assertThat(result).isInstanceOfSatisfying(ParseResult.Rejected.class, rejected -> assertThat(rejected.status()).isEqualTo(400));
    }

    @Test
    void whenTheHttpsPortIs443ThenTheLocationLeavesItOut() {
        HttpRequest request = parse("GET /a?b=c HTTP/1.1\r\nHost: example.com:80\r\n\r\n");
        assertThat(new HttpsRedirectHandler(443).handle(request).headers().first("Location")).isEqualTo("https://example.com/a?b=c");
        assertThat(new HttpsRedirectHandler(8443).handle(request).headers().first("Location")).isEqualTo("https://example.com:8443/a?b=c");
    }

    @Test
    void whenTheTargetIsAnAsteriskThenTheRootIsTheLocation() {
        HttpRequest request = parse("OPTIONS * HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertThat(new HttpsRedirectHandler(443).handle(request).headers().first("Location")).isEqualTo("https://example.com/");
    }

    private static HttpRequest parse(String text) {
        return ((ParseResult.Parsed) new RequestParser(ParserLimits.DEFAULTS).parse(buffer(text))).request();
    }

    private static ByteBuffer buffer(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
