package dev.pier.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.PierApplication;
import dev.pier.RawHttp;
import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http2.ErrorCode;
import dev.pier.test.H2Peer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code http.server.requests} and Pier's own meters after requests of every kind (a file, the
 * root, a 404, a redirect, Actuator, a handler with a route of its own, a failing one, bytes that
 * are not HTTP), as Prometheus scrapes them from {@code /actuator/prometheus} over a socket. The
 * {@code uri} tag holds routes only, never a path as sent.
 */
@SpringBootTest(classes = {PierApplication.class, MetricsOverSocketTests.Handlers.class}, properties = {
        "server.port=0", "pier.event-loops=1", "pier.worker-threads=2", "pier.access-log.enabled=false",
        "management.endpoints.web.exposure.include=health,prometheus"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsOverSocketTests {

    /** Pier's and the request timer's metric names as a PromQL query selects them: {@code name{...}}. */
    private static final Pattern METRIC_IN_QUERY = Pattern.compile("\\b((?:pier|http_server_requests)_[a-z_]+)\\{");

    @Value("${local.server.port}")
    int port;

    @Autowired
    MeterRegistry registry;

    private String scrape;

    @BeforeAll
    void sendRequestsOfEveryKindThenScrape() throws IOException {
        assertThat(RawHttp.get(port, "/").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/style.css").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/images/pier-logo.svg").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/no/such/page.html").status()).isEqualTo(404);
        assertThat(RawHttp.get(port, "/docs").status()).isEqualTo(301);
        assertThat(RawHttp.get(port, "/actuator/health").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/actuator/no-such-endpoint").status()).isEqualTo(404);
        assertThat(RawHttp.get(port, "/readyz").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/orders/42").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/orders/43").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/orders/boom").status()).isEqualTo(500);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write("NOT HTTP\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 400");
        }
        try (H2Peer peer = H2Peer.connect(port)) {
            peer.get(1, "/orders/7", "localhost");
            assertThat(peer.response(1, Duration.ofSeconds(5)).status()).isEqualTo(200);
            peer.sendRstStream(3, ErrorCode.CANCEL);
            assertThat(peer.awaitGoAway(Duration.ofSeconds(5)).errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
        }
        // An exchange is recorded just after its last byte is written, so the client may be a moment ahead.
        await().atMost(Duration.ofSeconds(5)).until(() -> count("UNKNOWN") == 1 && count("/orders/{id}") == 4);
        RawHttp.Response response = RawHttp.get(port, "/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/plain");
        scrape = response.body();
    }

    @Test
    void whenRequestsOfEveryKindThenUriTagsAreRoutesOnlyNeverRawPaths() {
        Set<String> uris = new TreeSet<>();
        registry.find(RequestMetrics.METRIC).timers().forEach(timer -> uris.add(timer.getId().getTag("uri")));
        assertThat(uris).containsExactlyInAnyOrder("root", "STATIC", "NOT_FOUND", "REDIRECTION", "/actuator/health",
                "/actuator/health/{*path}", "/readyz", "/orders/{id}", "UNKNOWN", "/actuator/prometheus");
    }

    @Test
    void whenRequestsOfEveryKindThenEachIsTaggedAsSpringWouldTagIt() {
        assertThat(timer("GET", "200", "SUCCESS", "STATIC", "none").count()).isEqualTo(2);
        assertThat(timer("GET", "200", "SUCCESS", "root", "none").count()).isEqualTo(1);
        assertThat(timer("GET", "404", "CLIENT_ERROR", "NOT_FOUND", "none").count()).isEqualTo(2);
        assertThat(timer("GET", "301", "REDIRECTION", "REDIRECTION", "none").count()).isEqualTo(1);
        assertThat(timer("GET", "200", "SUCCESS", "/actuator/health/{*path}", "none").count()).isEqualTo(1);
        assertThat(timer("GET", "200", "SUCCESS", "/orders/{id}", "none").count()).isEqualTo(2);
        assertThat(timer("GET", "500", "SERVER_ERROR", "/orders/{id}", "IllegalStateException").count()).isEqualTo(1);
        assertThat(registry.get(RequestMetrics.METRIC).tags("method", "UNKNOWN", "status", "400", "outcome", "CLIENT_ERROR", "uri", "UNKNOWN",
                "exception", "none", "protocol", "UNKNOWN").timer().count()).isEqualTo(1);
        assertThat(timer("GET", "200", "SUCCESS", "/orders/{id}", "none").totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
    }

    @Test
    void whenARequestCameOverHttp2ThenItsTimerSaysSoAndTheHttp2MetersCountTheConnection() {
        assertThat(registry.get(RequestMetrics.METRIC).tags("uri", "/orders/{id}", "protocol", "HTTP/2.0").timer().count()).isEqualTo(1);
        assertThat(scrape).contains("pier_http2_connections ")
                .contains("pier_http2_streams ")
                .contains("pier_http2_goaways_total{direction=\"sent\",error=\"PROTOCOL_ERROR\"} 1.0")
                .contains("pier_http2_resets_total{direction=\"received\",error=\"CANCEL\"} 0.0");
    }

    @Test
    void whenPrometheusScrapesThenRequestTimersAndHistogramBucketsAreThere() {
        assertThat(scrape).contains("# TYPE http_server_requests_seconds histogram")
                .contains("http_server_requests_seconds_count{exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",protocol=\"HTTP/1.1\",status=\"200\",uri=\"STATIC\"} 2")
                .contains("http_server_requests_seconds_count{exception=\"IllegalStateException\",method=\"GET\",outcome=\"SERVER_ERROR\",protocol=\"HTTP/1.1\",status=\"500\",uri=\"/orders/{id}\"} 1")
                .contains("http_server_requests_seconds_bucket{exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",protocol=\"HTTP/1.1\",status=\"200\",uri=\"root\",le=\"+Inf\"} 1")
                .doesNotContain("uri=\"/orders/42\"")
                .doesNotContain("uri=\"/style.css\"");
    }

    @Test
    void whenPrometheusScrapesThenPiersConnectionRequestAndLoopMetersAreThere() {
        assertThat(scrape).contains("pier_connections_active ")
                .contains("pier_connections_accepted_total ")
                .contains("pier_connections_closed_total ")
                .contains("pier_requests_active ")
                .contains("pier_requests_total ")
                .contains("pier_sent_bytes_total ")
                .contains("pier_requests_rejected_total{status=\"400\"} 1.0")
                .contains("pier_requests_rejected_total{status=\"431\"} 0.0")
                .contains("pier_timeouts_total{kind=\"header\"} 0.0")
                .contains("pier_timeouts_total{kind=\"keep-alive\"} ")
                .contains("pier_handler_failures_total 1.0")
                .contains("pier_client_aborts_total ")
                .contains("pier_eventloop_lag_seconds_count ")
                .contains("pier_eventloop_lag_seconds_sum ")
                .contains("pier_eventloop_lag_latest_seconds ");
        assertThat(scrape).contains("pier_files_cache_hits_total ")
                .contains("pier_files_cache_misses_total ")
                .contains("pier_files_cache_size_bytes ")
                .contains("pier_files_cache_files ")
                .contains("pier_files_gzip_cache_size_bytes ")
                .contains("pier_files_open ");
        assertThat(registry.get("pier.requests").functionCounter().count()).isGreaterThanOrEqualTo(12);
        assertThat(registry.get("pier.sent").functionCounter().count()).isGreaterThan(1000);
        assertThat(registry.get("pier.requests.active").gauge().value()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void whenTheGrafanaDashboardQueriesPierThenEveryMetricItNamesIsInTheScrape() throws IOException {
        JsonNode dashboard = JsonMapper.shared().readTree(Files.readString(Path.of("docs/grafana-dashboard.json")));
        JsonNode datasource = dashboard.get("templating").get("list").get(0);
        assertThat(datasource.get("type").asString()).isEqualTo("datasource");
        assertThat(datasource.get("query").asString()).isEqualTo("prometheus");
        Set<String> named = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            if (panel.has("targets")) {
                assertThat(panel.get("datasource").get("uid").asString()).as(panel.get("title").asString()).isEqualTo("${datasource}");
                for (JsonNode target : panel.get("targets")) {
                    Matcher metric = METRIC_IN_QUERY.matcher(target.get("expr").asString());
                    while (metric.find()) {
                        named.add(metric.group(1));
                    }
                }
            }
        }
        assertThat(named).contains("http_server_requests_seconds_bucket", "pier_connections_active", "pier_eventloop_lag_seconds_sum");
        Set<String> scraped = new TreeSet<>();
        scrape.lines().filter(line -> !line.startsWith("#")).forEach(line -> scraped.add(line.split("[{ ]", 2)[0]));
        assertThat(scraped).containsAll(named);
    }

    private Timer timer(String method, String status, String outcome, String uri, String exception) {
        return registry.get(RequestMetrics.METRIC)
                .tags("method", method, "status", status, "outcome", outcome, "uri", uri, "exception", exception, "protocol", "HTTP/1.1")
                .timer();
    }

    private long count(String uri) {
        return registry.find(RequestMetrics.METRIC).tag("uri", uri).timers().stream().mapToLong(Timer::count).sum();
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Handlers {

        /** A user's handler with a route of its own: {@code /orders/{id}}; {@code /orders/boom} fails. */
        @Bean
        HttpHandler ordersHandler() {
            return new HttpHandler() {
                @Override
                public boolean accepts(HttpRequest request) {
                    return request.method() == HttpMethod.GET && request.path().startsWith("/orders/");
                }

                @Override
                public HttpResponse handle(HttpRequest request) {
                    if (request.path().endsWith("/boom")) {
                        throw new IllegalStateException("no such order");
                    }
                    return HttpResponse.status(200).body("order " + request.path().substring("/orders/".length())).build();
                }

                @Override
                public String uriTemplate(HttpRequest request, int status) {
                    return "/orders/{id}";
                }
            };
        }
    }
}
