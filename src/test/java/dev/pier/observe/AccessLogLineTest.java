package dev.pier.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpVersion;
import dev.pier.http.RequestTarget;
import dev.pier.server.Exchange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One exchange, each format: the exact line, escaping, the "-" of a refused request, and the optional response time. */
class AccessLogLineTest {

    /** 2026-11-26T17:01:49.078Z */
    private static final long WHEN = Instant.parse("2026-11-26T17:01:49.078Z").toEpochMilli();
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void whenCombinedThenNginxsCombinedLineInLocalTime() throws Exception {
        String line = new AccessLogLine(AccessLogFormat.COMBINED, false, BERLIN).format(exchange(request("/docs/?q=1", "https://example.com/", "curl/8.5.0"), 200), WHEN);
        assertThat(line).isEqualTo("203.0.113.9 - - [26/Nov/2026:18:01:49 +0100] \"GET /docs/?q=1 HTTP/1.1\" 200 1234 \"https://example.com/\" \"curl/8.5.0\"");
    }

    @Test
    void whenCommonThenNoRefererNorUserAgent() throws Exception {
        String line = new AccessLogLine(AccessLogFormat.COMMON, false, ZoneId.of("UTC")).format(exchange(request("/", "https://example.com/", "curl/8.5.0"), 200), WHEN);
        assertThat(line).isEqualTo("203.0.113.9 - - [26/Nov/2026:17:01:49 +0000] \"GET / HTTP/1.1\" 200 1234");
    }

    @Test
    void whenResponseHasNoBodyThenItsSizeIsZeroNotADash() throws Exception {
        Exchange notModified = new Exchange(remote(), request("/", null, null), null, 304, HttpHeaders.EMPTY, 210, 210, 0, 1000, true, null);
        assertThat(new AccessLogLine(AccessLogFormat.COMMON, false, ZoneId.of("UTC")).format(notModified, WHEN)).endsWith("\" 304 0");
    }

    @Test
    void whenClientLeftPartWayThroughTheHeadThenTheBodySizeIsZero() throws Exception {
        Exchange cut = new Exchange(remote(), request("/", null, null), null, 200, HttpHeaders.EMPTY, 300, 120, 0, 1000, false, null);
        assertThat(new AccessLogLine(AccessLogFormat.COMMON, false, ZoneId.of("UTC")).format(cut, WHEN)).endsWith("\" 200 0");
    }

    @Test
    void whenResponseTimeIsOnThenMillisecondsEndTheLine() throws Exception {
        AccessLogLine combined = new AccessLogLine(AccessLogFormat.COMBINED, true, ZoneId.of("UTC"));
        assertThat(combined.format(exchange(request("/", null, null), 200), WHEN)).endsWith("\"-\" \"-\" 2.345");
        AccessLogLine common = new AccessLogLine(AccessLogFormat.COMMON, true, ZoneId.of("UTC"));
        assertThat(common.format(exchange(request("/", null, null), 200), WHEN)).endsWith(" 200 1234 2.345");
    }

    @Test
    void whenNoRequestWasMadeThenTheRequestLineIsADashAsNginxLogsA400() throws Exception {
        Exchange refused = new Exchange(remote(), null, null, 400, HttpHeaders.EMPTY, 150, 684, 0, 1_000_000, true, null);
        assertThat(new AccessLogLine(AccessLogFormat.COMBINED, false, ZoneId.of("UTC")).format(refused, WHEN))
                .isEqualTo("203.0.113.9 - - [26/Nov/2026:17:01:49 +0000] \"-\" 400 534 \"-\" \"-\"");
    }

    @Test
    void whenFieldsHoldQuotesBackslashesOrControlsThenTheyAreEscapedAsNginxDoes() throws Exception {
        String line = new AccessLogLine(AccessLogFormat.COMBINED, false, ZoneId.of("UTC"))
                .format(exchange(request("/", "a\"b", "x\\y\u0001z\u00e9"), 200), WHEN);
        assertThat(line).endsWith("\"a\\x22b\" \"x\\x5Cy\\x01z\\xE9\"");
    }

    @Test
    void whenJsonThenOneObjectWithEveryFieldAndTheResponseTime() throws Exception {
        String line = new AccessLogLine(AccessLogFormat.JSON, false, BERLIN)
                .format(exchange(request("/a?b=\"c\"", null, "Mozilla/5.0 \"x\""), 404), WHEN);
        assertThat(line).startsWith("{\"time\":\"2026-11-26T17:01:49.078Z\",").doesNotContain("\n");
        JsonNode json = JsonMapper.shared().readTree(line);
        assertThat(json.get("remote").asString()).isEqualTo("203.0.113.9");
        assertThat(json.get("method").asString()).isEqualTo("GET");
        assertThat(json.get("uri").asString()).isEqualTo("/a?b=\"c\"");
        assertThat(json.get("protocol").asString()).isEqualTo("HTTP/1.1");
        assertThat(json.get("status").asInt()).isEqualTo(404);
        assertThat(json.get("body_bytes_sent").asLong()).isEqualTo(1234);
        assertThat(json.get("bytes_sent").asLong()).isEqualTo(1534);
        assertThat(json.get("response_time_ms").asDouble()).isEqualTo(2.345);
        assertThat(json.get("referer").isNull()).isTrue();
        assertThat(json.get("user_agent").asString()).isEqualTo("Mozilla/5.0 \"x\"");
        assertThat(json.get("completed").asBoolean()).isTrue();
        assertThat(json.get("route").asString()).as("no handler took it: Spring's name for a 404").isEqualTo("NOT_FOUND");
    }

    @Test
    void whenJsonForARefusedRequestThenItsRequestFieldsAreNull() throws Exception {
        Exchange refused = new Exchange(remote(), null, null, 408, HttpHeaders.EMPTY, 150, 700, 0, 0, false, null);
        JsonNode json = JsonMapper.shared().readTree(new AccessLogLine(AccessLogFormat.JSON, false, ZoneId.of("UTC")).format(refused, WHEN));
        assertThat(json.get("method").isNull()).isTrue();
        assertThat(json.get("uri").isNull()).isTrue();
        assertThat(json.get("status").asInt()).isEqualTo(408);
        assertThat(json.get("completed").asBoolean()).isFalse();
        assertThat(json.get("response_time_ms").asDouble()).isZero();
    }

    @Test
    void whenTheSecondChangesThenTheCachedTimestampFollows() throws Exception {
        AccessLogLine json = new AccessLogLine(AccessLogFormat.JSON, false, ZoneId.of("UTC"));
        Exchange exchange = exchange(request("/", null, null), 200);
        assertThat(json.format(exchange, WHEN)).contains("\"2026-11-26T17:01:49.078Z\"");
        assertThat(json.format(exchange, WHEN + 5)).contains("\"2026-11-26T17:01:49.083Z\"");
        assertThat(json.format(exchange, WHEN + 1000)).contains("\"2026-11-26T17:01:50.078Z\"");
        assertThat(json.format(exchange, WHEN + 60_922)).contains("\"2026-11-26T17:02:50.000Z\"");
    }

    private static Exchange exchange(HttpRequest request, int status) throws UnknownHostException {
        // A head of 300 bytes and a body of 1,234.
        return new Exchange(remote(), request, null, status, HttpHeaders.EMPTY, 300, 1534, 0, TimeUnit.MICROSECONDS.toNanos(2345), true, null);
    }

    private static InetSocketAddress remote() throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName("203.0.113.9"), 51234);
    }

    private static HttpRequest request(String target, String referer, String userAgent) {
        HttpHeaders.Builder headers = HttpHeaders.builder().add("Host", "example.com");
        if (referer != null) {
            headers.add("Referer", referer);
        }
        if (userAgent != null) {
            headers.add("User-Agent", userAgent);
        }
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? null : target.substring(question + 1);
        return new HttpRequest(HttpMethod.GET, new RequestTarget(target, path, query, path), HttpVersion.HTTP_1_1, headers.build(), null);
    }
}
