package dev.pier.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.pier.handler.AddressRange;
import dev.pier.handler.ExchangeFilter;
import dev.pier.handler.FilteredHandlers;
import dev.pier.handler.HttpHandler;
import dev.pier.handler.TrustedProxies;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.HttpVersion;
import dev.pier.http.PathPattern;
import dev.pier.http.RequestTarget;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Access rules, rate limits and the client address filter around a handler that answers 200. */
class ClientRulesTest {

    private static final HttpHandler OK = new HttpHandler() {
        @Override
        public boolean accepts(HttpRequest request) {
            return true;
        }

        @Override
        public HttpResponse handle(HttpRequest request) {
            return HttpResponse.status(200).body("ok".getBytes(StandardCharsets.UTF_8)).build();
        }
    };

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private final LongAdder rejected = new LongAdder();

    private static HttpResponse get(List<ExchangeFilter> filters, String peer, String path, String... fields) throws Exception {
        HttpHeaders.Builder headers = HttpHeaders.builder().add("Host", "localhost");
        for (int i = 0; i < fields.length; i += 2) {
            headers.add(fields[i], fields[i + 1]);
        }
        HttpRequest request = new HttpRequest(HttpMethod.GET, RequestTarget.parse(path), HttpVersion.HTTP_1_1, headers.build(), null);
        return FilteredHandlers.handle(FilteredHandlers.wrap(OK, filters), request, new InetSocketAddress(AddressRange.parseAddress(peer), 40000));
    }

    private static List<AddressRange> ranges(String... cidrs) {
        return Stream.of(cidrs).map(AddressRange::parse).toList();
    }

    private static AccessFilter access(List<AddressRange> allow, List<AddressRange> deny) {
        return new AccessFilter(List.of(new AccessFilter.Rule(List.of(PathPattern.compile("/admin/**")), allow, deny)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8       |                  | 10.1.2.3     | /admin/x      | 200
            10.0.0.0/8       |                  | 192.0.2.1    | /admin/x      | 403
            10.0.0.0/8       |                  | 192.0.2.1    | /public/x     | 200
            10.0.0.0/8       |                  | 192.0.2.1    | /public/../admin/x | 403
            10.0.0.0/8       |                  | 192.0.2.1    | /%61dmin/x    | 403
                             | 192.0.2.0/24     | 192.0.2.1    | /admin/x      | 403
                             | 192.0.2.0/24     | 10.1.2.3     | /admin/x      | 200
            10.1.1.1         | 10.0.0.0/8       | 10.1.1.1     | /admin/x      | 200
            10.1.1.1         | 10.0.0.0/8       | 10.1.1.2     | /admin/x      | 403
            10.0.0.0/8       | 10.6.6.6         | 10.6.6.6     | /admin/x      | 403
            10.0.0.0/8       | 10.0.0.0/8       | 10.1.1.1     | /admin/x      | 403
            ::1              |                  | ::1          | /admin/x      | 200
            ::1              |                  | 127.0.0.1    | /admin/x      | 403
            """)
    void whenTheMostSpecificBlockDecidesThenAllowAndDenyAnswerAsNginxWritten(String allow, String deny, String client, String path, int status)
            throws Exception {
        AccessFilter filter = access(allow == null ? List.of() : ranges(allow), deny == null ? List.of() : ranges(deny));
        assertThat(get(List.of(filter), client, path).status()).isEqualTo(status);
    }

    @Test
    void whenTheFirstCoveringRuleAllowsThenALaterOneIsNotAsked() throws Exception {
        AccessFilter filter = new AccessFilter(List.of(
                new AccessFilter.Rule(List.of(PathPattern.compile("/admin/open/**")), ranges("0.0.0.0/0"), List.of()),
                new AccessFilter.Rule(List.of(PathPattern.compile("/admin/**")), ranges("10.0.0.0/8"), List.of())));
        assertThat(get(List.of(filter), "192.0.2.1", "/admin/open/x").status()).isEqualTo(200);
        HttpResponse refused = get(List.of(filter), "192.0.2.1", "/admin/closed");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.headers().first("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void whenTheClientAddressFilterRunsFirstThenAccessGoesByTheForwardedAddress() throws Exception {
        List<ExchangeFilter> filters = List.of(new ClientAddressFilter(new TrustedProxies(ranges("127.0.0.1/32"))),
                access(ranges("203.0.113.0/24"), List.of()));
        assertThat(get(filters, "127.0.0.1", "/admin/x", "X-Forwarded-For", "203.0.113.7").status()).isEqualTo(200);
        assertThat(get(filters, "127.0.0.1", "/admin/x", "X-Forwarded-For", "198.51.100.7").status()).isEqualTo(403);
        // From a peer that is not trusted, the field is a lie nobody believes.
        assertThat(get(filters, "198.51.100.8", "/admin/x", "X-Forwarded-For", "203.0.113.7").status()).isEqualTo(403);
    }

    private RateLimitFilter limit(String rate, int burst, int maxClients) {
        return new RateLimitFilter(List.of(new RateLimitFilter.Limit(List.of(PathPattern.compile("/api/**")), RateLimitFilter.Rate.parse(rate), burst)),
                maxClients, nanos::get, rejected);
    }

    @Test
    void whenTheIssuesExampleRunsThenTheEleventhRequestInOneSecondIsRefusedWithRetryAfter() throws Exception {
        RateLimitFilter filter = limit("5/s", 5, 100);
        for (int i = 0; i < 10; i++) {
            assertThat(get(List.of(filter), "192.0.2.1", "/api/x").status()).as("request %d", i + 1).isEqualTo(200);
        }
        HttpResponse refused = get(List.of(filter), "192.0.2.1", "/api/x");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.headers().first("Retry-After")).isEqualTo("1");
        assertThat(rejected.sum()).isEqualTo(1);
        // Other paths and other clients are not limited by it.
        assertThat(get(List.of(filter), "192.0.2.1", "/static/x").status()).isEqualTo(200);
        assertThat(get(List.of(filter), "192.0.2.2", "/api/x").status()).isEqualTo(200);
    }

    @Test
    void whenTimePassesThenTokensComeBackAtTheRateUpToTheBucket() throws Exception {
        RateLimitFilter filter = limit("5/s", 0, 100);
        for (int i = 0; i < 5; i++) {
            assertThat(get(List.of(filter), "192.0.2.1", "/api/x").status()).isEqualTo(200);
        }
        assertThat(get(List.of(filter), "192.0.2.1", "/api/x").status()).isEqualTo(429);
        nanos.addAndGet(199_000_000L);
        assertThat(get(List.of(filter), "192.0.2.1", "/api/x").status()).isEqualTo(429);
        nanos.addAndGet(1_000_000L);
        assertThat(get(List.of(filter), "192.0.2.1", "/api/x").status()).isEqualTo(200);
        assertThat(get(List.of(filter), "192.0.2.1", "/api/x").status()).isEqualTo(429);
        // An hour later the bucket is full again, not fuller.
        nanos.addAndGet(3_600_000_000_000L);
        for (int i = 0; i < 5; i++) {
            assertThat(get(List.of(filter), "192.0.2.1", "/api/x").status()).isEqualTo(200);
        }
        assertThat(get(List.of(filter), "192.0.2.1", "/api/x").status()).isEqualTo(429);
        assertThat(rejected.sum()).isEqualTo(4);
    }

    @Test
    void whenTheRateIsPerMinuteThenRetryAfterIsTheWholeSecondsUntilTheNextToken() throws Exception {
        RateLimitFilter filter = limit("30/m", 1, 100);
        assertThat(get(List.of(filter), "192.0.2.1", "/api/x").status()).isEqualTo(200);
        assertThat(get(List.of(filter), "192.0.2.1", "/api/x").status()).isEqualTo(200);
        assertThat(get(List.of(filter), "192.0.2.1", "/api/x").headers().first("Retry-After")).isEqualTo("2");
        nanos.addAndGet(500_000_000L);
        assertThat(get(List.of(filter), "192.0.2.1", "/api/x").headers().first("Retry-After")).isEqualTo("2");
        nanos.addAndGet(600_000_000L);
        assertThat(get(List.of(filter), "192.0.2.1", "/api/x").headers().first("Retry-After")).isEqualTo("1");
        nanos.addAndGet(900_000_000L);
        assertThat(get(List.of(filter), "192.0.2.1", "/api/x").status()).isEqualTo(200);
    }

    @Test
    void whenMoreClientsComeThanItRemembersThenTheLeastRecentIsForgottenAndStartsFull() throws Exception {
        RateLimitFilter filter = limit("1/m", 0, 16);
        for (int i = 0; i < 1000; i++) {
            get(List.of(filter), "10.0." + (i / 256) + "." + (i % 256), "/api/x");
        }
        assertThat(filter.remembered(0)).isLessThanOrEqualTo(16);
        assertThat(get(List.of(filter), "192.0.2.1", "/api/x").status()).isEqualTo(200);
        assertThat(get(List.of(filter), "192.0.2.1", "/api/x").status()).isEqualTo(429);
        for (int i = 0; i < 1000; i++) {
            get(List.of(filter), "10.1." + (i / 256) + "." + (i % 256), "/api/x");
        }
        // Forgotten: a full bucket again, though no time passed.
        assertThat(get(List.of(filter), "192.0.2.1", "/api/x").status()).isEqualTo(200);
    }

    @Test
    void whenRatesAreWrittenThenPerSecondAndPerMinuteAreRead() {
        assertThat(RateLimitFilter.Rate.parse("5/s").perSecond()).isEqualTo(5);
        assertThat(RateLimitFilter.Rate.parse("30/m").perSecond()).isEqualTo(0.5);
        assertThat(RateLimitFilter.Rate.parse("10r/s").perSecond()).isEqualTo(10);
        assertThat(RateLimitFilter.Rate.parse(" 0.5/s ").perSecond()).isEqualTo(0.5);
        for (String invalid : new String[] {"5", "5/h", "0/s", "-1/s", "five/s", "5 per second", ""}) {
            assertThatIllegalArgumentException().as(invalid).isThrownBy(() -> RateLimitFilter.Rate.parse(invalid))
                    .withMessage("A rate is a number of requests above zero per second or per minute, such as 5/s or 30/m");
        }
        assertThat(RateLimitFilter.retryAfterSeconds(1)).isEqualTo(1);
        assertThat(RateLimitFilter.retryAfterSeconds(1_000_000_000L)).isEqualTo(1);
        assertThat(RateLimitFilter.retryAfterSeconds(1_000_000_001L)).isEqualTo(2);
    }
}
