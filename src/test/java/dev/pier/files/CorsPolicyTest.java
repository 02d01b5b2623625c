package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.HttpVersion;
import dev.pier.http.RequestTarget;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CorsPolicyTest {

    private static final String APP = "https://app.example.com";

    private final CorsPolicy exact = new CorsPolicy(List.of("https://app.example.com/", "https://other.example"), List.of("GET", "HEAD"),
            List.of("X-Requested-With", "Range"), List.of("ETag", "Content-Range"), Duration.ofMinutes(10), false);
    private final CorsPolicy credentials = new CorsPolicy(List.of(APP), List.of("GET", "HEAD"), List.of("*"), List.of(), Duration.ofMinutes(30), true);
    private final CorsPolicy anyOrigin = new CorsPolicy(List.of("*"), List.of("GET", "HEAD"), List.of("*"), List.of(), Duration.ofMinutes(30), false);

    @Test
    void whenNoOriginsThenDisabledAndNothingAdded() {
        HttpHeaders.Builder headers = HttpHeaders.builder();
        CorsPolicy.DISABLED.addTo(headers, request(HttpMethod.GET, APP));

        assertThat(CorsPolicy.DISABLED.enabled()).isFalse();
        assertThat(CorsPolicy.DISABLED.variesByOrigin()).isFalse();
        assertThat(CorsPolicy.DISABLED.isPreflight(preflight(APP, "GET", null))).isFalse();
        assertThat(headers.size()).isZero();
    }

    @Test
    void whenCredentialsAreAllowedForAnyOriginThenRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CorsPolicy(List.of("*"), List.of("GET"), List.of(), List.of(), Duration.ZERO, true))
                .withMessageContaining("credentials");
    }

    @ParameterizedTest(name = "[{index}] origin {0} → {1}")
    @CsvSource(nullValues = "NULL", textBlock = """
            https://app.example.com, https://app.example.com
            HTTPS://APP.EXAMPLE.COM, HTTPS://APP.EXAMPLE.COM
            https://other.example, https://other.example
            https://evil.example, NULL
            https://app.example.com.evil.example, NULL
            null, NULL
            NULL, NULL
            """)
    void whenActualRequestThenExactOriginEchoedOnlyIfAllowedAndAlwaysVaries(String origin, String allowed) {
        HttpHeaders headers = actual(exact, request(HttpMethod.GET, origin));

        assertThat(headers.first("Access-Control-Allow-Origin")).isEqualTo(allowed);
        assertThat(headers.first("Access-Control-Expose-Headers")).isEqualTo(allowed == null ? null : "ETag, Content-Range");
        assertThat(headers.first("Access-Control-Allow-Credentials")).isNull();
        assertThat(exact.variesByOrigin()).isTrue();
    }

    @Test
    void whenAnyOriginWithoutCredentialsThenStarForEveryoneAndNoVary() {
        assertThat(actual(anyOrigin, request(HttpMethod.GET, APP)).first("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(actual(anyOrigin, request(HttpMethod.GET, null)).first("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(anyOrigin.variesByOrigin()).isFalse();
    }

    @Test
    void whenCredentialsThenTheExactOriginNeverStar() {
        HttpHeaders headers = actual(credentials, request(HttpMethod.GET, APP));

        assertThat(headers.first("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(headers.first("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(credentials.variesByOrigin()).isTrue();
    }

    @Test
    void whenPreflightIsAllowedThen204WithWhatItMayDo() {
        HttpRequest request = preflight(APP, "GET", "x-requested-with, range");

        HttpResponse response = exact.preflight(request);

        assertThat(exact.isPreflight(request)).isTrue();
        assertThat(response.status()).isEqualTo(204);
        assertThat(response.headers().first("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(response.headers().first("Access-Control-Allow-Methods")).isEqualTo("GET, HEAD");
        assertThat(response.headers().first("Access-Control-Allow-Headers")).isEqualTo("x-requested-with, range");
        assertThat(response.headers().first("Access-Control-Max-Age")).isEqualTo("600");
        assertThat(response.headers().first("Access-Control-Allow-Credentials")).isNull();
        assertThat(response.headers().first("Vary")).isEqualTo("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    }

    @Test
    void whenPreflightAsksNoHeadersThenNoAllowHeaders() {
        HttpResponse response = exact.preflight(preflight(APP, "HEAD", null));

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.headers().contains("Access-Control-Allow-Headers")).isFalse();
    }

    @ParameterizedTest(name = "[{index}] {0} {1} {2}")
    @CsvSource(nullValues = "NULL", textBlock = """
            https://evil.example, GET, NULL
            https://app.example.com, DELETE, NULL
            https://app.example.com, get, NULL
            https://app.example.com, GET, 'x-requested-with, authorization'
            """)
    void whenPreflightOriginMethodOrHeadersAreNotAllowedThen403WithoutAllowFields(String origin, String method, String headers) {
        HttpResponse response = exact.preflight(preflight(origin, method, headers));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.headers().contains("Access-Control-Allow-Origin")).isFalse();
        assertThat(response.headers().first("Vary")).contains("Origin");
    }

    @Test
    void whenAnyHeaderWithCredentialsThenRequestedHeadersAreEchoedNotStar() {
        HttpResponse withCredentials = credentials.preflight(preflight(APP, "GET", "authorization"));
        HttpResponse without = anyOrigin.preflight(preflight(APP, "GET", "authorization"));

        assertThat(withCredentials.headers().first("Access-Control-Allow-Headers")).isEqualTo("authorization");
        assertThat(withCredentials.headers().first("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(without.headers().first("Access-Control-Allow-Headers")).isEqualTo("*");
        assertThat(without.headers().first("Access-Control-Allow-Origin")).isEqualTo("*");
    }

    @Test
    void whenOptionsLacksOriginOrRequestMethodThenNotAPreflight() {
        assertThat(exact.isPreflight(preflight(null, "GET", null))).isFalse();
        assertThat(exact.isPreflight(request(HttpMethod.OPTIONS, APP))).isFalse();
        assertThat(exact.isPreflight(request(HttpMethod.GET, APP))).isFalse();
    }

    private static HttpHeaders actual(CorsPolicy policy, HttpRequest request) {
        HttpHeaders.Builder headers = HttpHeaders.builder();
        policy.addTo(headers, request);
        return headers.build();
    }

    private static HttpRequest preflight(String origin, String method, String requestHeaders) {
        HttpHeaders.Builder headers = HttpHeaders.builder().add("Host", "x");
        if (origin != null) {
            headers.add("Origin", origin);
        }
        headers.add("Access-Control-Request-Method", method);
        if (requestHeaders != null) {
            headers.add("Access-Control-Request-Headers", requestHeaders);
        }
        return new HttpRequest(HttpMethod.OPTIONS, new RequestTarget("/a", "/a", null, "/a"), HttpVersion.HTTP_1_1, headers.build(), null);
    }

    private static HttpRequest request(HttpMethod method, String origin) {
        HttpHeaders.Builder headers = HttpHeaders.builder().add("Host", "x");
        if (origin != null) {
            headers.add("Origin", origin);
        }
        return new HttpRequest(method, new RequestTarget("/a", "/a", null, "/a"), HttpVersion.HTTP_1_1, headers.build(), null);
    }
}
