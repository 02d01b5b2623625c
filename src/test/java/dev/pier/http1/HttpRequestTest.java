package dev.pier.http1;

import dev.pier.http.HttpException;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpVersion;
import dev.pier.http.RequestTarget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpRequestTest {

    static Stream<Arguments> connections() {
        return Stream.of(
                argumentSet("HTTP/1.1 by default", HttpVersion.HTTP_1_1, null, true),
                argumentSet("HTTP/1.1 with close", HttpVersion.HTTP_1_1, "close", false),
                argumentSet("HTTP/1.1 with Close in a list", HttpVersion.HTTP_1_1, "Upgrade, Close", false),
                argumentSet("HTTP/1.1 with keep-alive", HttpVersion.HTTP_1_1, "keep-alive", true),
                argumentSet("HTTP/1.0 by default", HttpVersion.HTTP_1_0, null, false),
                argumentSet("HTTP/1.0 with keep-alive", HttpVersion.HTTP_1_0, "keep-alive", true),
                argumentSet("HTTP/1.0 with Keep-Alive in a list", HttpVersion.HTTP_1_0, "foo, Keep-Alive", true),
                argumentSet("HTTP/1.0 with keep-alive and close", HttpVersion.HTTP_1_0, "keep-alive, close", false),
                argumentSet("HTTP/1.0 with a token merely containing keep-alive", HttpVersion.HTTP_1_0, "keep-alive-ish", false));
    }

    @ParameterizedTest
    @MethodSource("connections")
    void whenConnectionIsNegotiatedThenKeepAliveFollowsRfc9112(HttpVersion version, String connection, boolean keepAlive) {
        HttpHeaders.Builder headers = HttpHeaders.builder().add("Host", "a");
        if (connection != null) {
            headers.add("Connection", connection);
        }
        HttpRequest request = new HttpRequest(HttpMethod.GET, RequestTarget.parse("/"), version, headers.build(), null);
        assertThat(request.keepAlive()).isEqualTo(keepAlive);
    }

    @Test
    void whenTheQueryHasAnInvalidEscapeThenItsParametersAreABadRequest() {
        HttpRequest request = RequestParserTest.parse("GET /?a=%zz HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThatExceptionOfType(HttpException.class).isThrownBy(request::queryParameters)
                .satisfies(exception -> assertThat(exception.status()).isEqualTo(400));
    }

    @Test
    void whenThereIsNoQueryThenThereAreNoParameters() {
        HttpRequest request = RequestParserTest.parse("GET /a HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(request.query()).isNull();
        assertThat(request.queryParameters()).isEmpty();
    }

    @Test
    void whenTheBodyIsNullThenItIsEmpty() {
        HttpRequest request = new HttpRequest(HttpMethod.GET, RequestTarget.parse("/"), HttpVersion.HTTP_1_1, HttpHeaders.EMPTY, null);
        assertThat(request.body()).isEmpty();
        assertThat(request).hasToString("GET / HTTP/1.1");
    }
}
