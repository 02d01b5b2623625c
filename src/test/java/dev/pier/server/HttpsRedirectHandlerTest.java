package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http.HttpRequest;
import dev.pier.http.ParseResult;
import dev.pier.http.ParserLimits;
import dev.pier.http.RequestParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpsRedirectHandlerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "example.com | example.com",
        "example.com:80 | example.com",
        "EXAMPLE.com:8080 | EXAMPLE.com",
        "127.0.0.1:8080 | 127.0.0.1",
        "[::1]:8080 | [::1]",
        "[2001:db8::1] | [2001:db8::1]",
        "my_host.internal | my_host.internal",
        "example.com: | example.com",
        "example.com:8x | null",
        "[::1]x | null",
        "[::g] | null",
        "ex ample | null",
        "user@example.com | null",
        "example.com/x | null",
        "café.example | null",
        ":8080 | null",
    })
    void whenTheHostFieldIsReadThenOnlyAPlainHostSurvives(String field, String host) {
        assertThat(HttpsRedirectHandler.hostOf(field)).isEqualTo(host);
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
        ParseResult result = new RequestParser(ParserLimits.DEFAULTS).parse(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
        return ((ParseResult.Parsed) result).request();
    }
}
