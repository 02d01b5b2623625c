package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.observe.AccessLog;
import dev.pier.rules.RateLimitFilter;
import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.pier.test.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code pier.trusted-proxies}, {@code pier.access} and {@code pier.rate-limits} through the real
 * auto-configuration, over a socket from 127.0.0.1: allow and deny (403), other addresses through
 * a trusted proxy's {@code X-Forwarded-For} and the same field ignored from an untrusted peer, the
 * issue's {@code /api} limit with a fake clock (the 11th request in a second gets 429 and
 * {@code Retry-After}), the access log showing the forwarded address, and each startup mistake.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class ClientAccessOverSocketTests {

    @TempDir
    Path site;

    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

    @BeforeEach
    void site() throws IOException {
        Files.writeString(site.resolve("index.html"), "home");
        for (String folder : new String[] {"admin", "secret", "api"}) {
            Files.createDirectories(site.resolve(folder));
            Files.writeString(site.resolve(folder + "/x.txt"), folder);
        }
    }

    private ApplicationContextRunner runner(String... properties) {
        return PierContextRunner.over(site, 1)
                .withBean(RateLimitFilter.NanoClock.class, () -> nanos::get)
                .withPropertyValues(properties);
    }

    private static RawResponse get(AssertableApplicationContext context, String target, String... fields) throws IOException {
        try (RawClient client = RawClient.connect(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class))) {
            client.send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + String.join("", fields) + "\r\n");
            return client.read();
        }
    }

    @Test
    void whenNothingIsConfiguredThenNoFilterRuns() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(PierContextRunner.servesStaticFilesBare(context)).isTrue();
            assertThat(get(context, "/admin/x.txt").status()).isEqualTo(200);
        });
    }

    @Test
    void whenTheLoopbackAddressIsAllowedOrDeniedThenItGets200Or403() {
        runner("pier.access[0].paths=/admin/**", "pier.access[0].allow=127.0.0.1/32",
                "pier.access[1].paths=/secret/**", "pier.access[1].deny=127.0.0.0/8",
                "pier.access[2].paths=/api/**", "pier.access[2].allow=10.0.0.0/8", "pier.access[2].deny=all").run(context -> {
                    assertThat(get(context, "/admin/x.txt").bodyText()).isEqualTo("admin");
                    RawResponse secret = get(context, "/secret/x.txt");
                    assertThat(secret.status()).isEqualTo(403);
                    assertThat(secret.bodyText()).contains("403 Forbidden").doesNotContain("secret</");
                    assertThat(get(context, "/public/../secret/x.txt").status()).isEqualTo(403);
                    assertThat(get(context, "/api/x.txt", "Accept: application/json\r\n").bodyText()).contains("\"status\":403");
                    // Without trusted proxies the field is ignored.
                    assertThat(get(context, "/api/x.txt", "X-Forwarded-For: 10.1.2.3\r\n").status()).isEqualTo(403);
                    assertThat(get(context, "/index.html").status()).isEqualTo(200);
                });
    }

    @Test
    void whenTheLoopbackAddressIsATrustedProxyThenTheForwardedClientIsAllowedOrDenied() {
        runner("pier.trusted-proxies=127.0.0.1/32,::1/128", "pier.access[0].paths=/admin/**", "pier.access[0].allow=203.0.113.0/24").run(context -> {
            assertThat(get(context, "/admin/x.txt", "X-Forwarded-For: 203.0.113.7\r\n").status()).isEqualTo(200);
            assertThat(get(context, "/admin/x.txt", "X-Forwarded-For: 203.0.113.7, 127.0.0.1\r\n").status()).isEqualTo(200);
            assertThat(get(context, "/admin/x.txt", "Forwarded: for=\"203.0.113.7:4711\"\r\n").status()).isEqualTo(200);
            assertThat(get(context, "/admin/x.txt", "X-Forwarded-For: 198.51.100.1\r\n").status()).isEqualTo(403);
            // A client that prepends an allowed address is still the address the proxy saw.
            assertThat(get(context, "/admin/x.txt", "X-Forwarded-For: 203.0.113.7, 198.51.100.1\r\n").status()).isEqualTo(403);
            assertThat(get(context, "/admin/x.txt").status()).isEqualTo(403);
        });
    }

    @Test
    void whenTheProxyIsNotTrustedThenItsForwardedAddressIsIgnored() {
        runner("pier.trusted-proxies=10.0.0.0/8", "pier.access[0].paths=/admin/**", "pier.access[0].allow=203.0.113.0/24").run(context ->
                assertThat(get(context, "/admin/x.txt", "X-Forwarded-For: 203.0.113.7\r\n").status()).isEqualTo(403));
    }

    @Test
    void whenTheIssuesApiLimitIsMetThenTheEleventhRequestInOneSecondGets429WithRetryAfter() {
        runner("pier.rate-limits[0].paths=/api/**", "pier.rate-limits[0].rate=5/s", "pier.rate-limits[0].burst=5").run(context -> {
            for (int i = 0; i < 10; i++) {
                nanos.addAndGet(50_000_000L);
                assertThat(get(context, "/api/x.txt").status()).as("request %d", i + 1).isEqualTo(200);
            }
            // 0.5 s of fake time went by: 2.5 tokens came back and went, the bucket is at 0.5.
            assertThat(get(context, "/api/x.txt").status()).isEqualTo(200);
            assertThat(get(context, "/api/x.txt").status()).isEqualTo(200);
            RawResponse refused = get(context, "/api/x.txt");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.bodyText()).contains("429 Too Many Requests");
            assertThat(get(context, "/index.html").status()).isEqualTo(200);
            nanos.addAndGet(200_000_000L);
            assertThat(get(context, "/api/x.txt").status()).isEqualTo(200);

            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(RateLimitRejections.class).bindTo(registry);
            assertThat(registry.get("pier.ratelimit.rejected").functionCounter().count()).isEqualTo(1);
        });
    }

    @Test
    void whenTheIssuesApiLimitIsHitAtOnceThenTenPassAndTheEleventhIsRefused() {
        runner("pier.rate-limits[0].paths=/api/**", "pier.rate-limits[0].rate=5/s", "pier.rate-limits[0].burst=5").run(context -> {
            for (int i = 0; i < 10; i++) {
                assertThat(get(context, "/api/x.txt").status()).as("request %d", i + 1).isEqualTo(200);
            }
            RawResponse refused = get(context, "/api/x.txt");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isEqualTo("1");
        });
    }

    @Test
    void whenATrustedProxyForwardsThenEachClientHasItsOwnBucket() {
        runner("pier.trusted-proxies=127.0.0.1", "pier.rate-limits[0].paths=/api/**", "pier.rate-limits[0].rate=1/m").run(context -> {
            assertThat(get(context, "/api/x.txt", "X-Forwarded-For: 203.0.113.1\r\n").status()).isEqualTo(200);
            assertThat(get(context, "/api/x.txt", "X-Forwarded-For: 203.0.113.1\r\n").status()).isEqualTo(429);
            assertThat(get(context, "/api/x.txt", "X-Forwarded-For: 203.0.113.2\r\n").status()).isEqualTo(200);
        });
    }

    @Test
    void whenATrustedProxyForwardsThenTheAccessLogShowsTheClient() {
        try (LogCapture lines = LogCapture.of(AccessLog.LOGGER_NAME)) {
            runner("pier.trusted-proxies=127.0.0.1/32").run(context -> {
                get(context, "/index.html?forwarded", "X-Forwarded-For: 203.0.113.9, 127.0.0.1\r\n");
                get(context, "/index.html?direct");
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lines.messages()).hasSizeGreaterThanOrEqualTo(2));
                assertThat(lines.messages()).anySatisfy(line -> assertThat(line).startsWith("203.0.113.9 - - [")
                        .contains("GET /index.html?forwarded HTTP/1.1"));
                assertThat(lines.messages()).anySatisfy(line -> assertThat(line).startsWith("127.0.0.1 - - [")
                        .contains("GET /index.html?direct HTTP/1.1"));
            });
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            pier.trusted-proxies=10.0.0.0/8,proxy.internal | pier.trusted-proxies[1] | proxy.internal | 'proxy.internal' is not an IP address or CIDR block, such as 10.0.0.0/8 or 2001:db8::/32.
            pier.trusted-proxies=10.0.0.1/8           | pier.trusted-proxies[0]  | 10.0.0.1/8   | '10.0.0.1/8' has bits set after its /8 prefix; the block starts at 10.0.0.0/8.
            pier.trusted-proxies=::1/129             | pier.trusted-proxies[0]  | ::1/129      | '::1/129' has a prefix length that is not a number from 0 to 128.
            pier.access[0].deny=10.0.0.0/8            | pier.access[0].paths     |              | An access rule needs at least one path pattern, such as /admin/**.
            pier.access[0].paths=/admin/**            | pier.access[0].allow     |              | An access rule needs an allow or a deny list of addresses or CIDR blocks, such as 10.0.0.0/8.
            pier.access[0].paths=admin                | pier.access[0].paths     | admin        | Path pattern 'admin' must start with /.
            pier.rate-limits[0].paths=/api/**         | pier.rate-limits[0].rate |              | A rate is a number of requests above zero per second or per minute, such as 5/s or 30/m.
            pier.rate-limits[0].rate=5/h              | pier.rate-limits[0].paths |             | A rate limit needs at least one path pattern, such as /api/**.
            """)
    void whenAnEntryCannotWorkThenStartupFailsWithOneSentenceNamingTheKey(String setting, String key, String value, String sentence) {
        runner(setting).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessage("Property " + key + " with value '" + value + "' is invalid: " + sentence);
        });
    }

    @Test
    void whenABurstOrTheClientBoundIsBelowItsMinimumThenStartupSaysSo() {
        runner("pier.rate-limits[0].paths=/api/**", "pier.rate-limits[0].rate=5/s", "pier.rate-limits[0].burst=-1").run(context ->
                assertThat(context.getStartupFailure()).rootCause().hasMessageEndingWith("A burst is the number of requests allowed at once beyond the rate: 0 or more."));
        runner("pier.rate-limits[0].paths=/api/**", "pier.rate-limits[0].rate=5/s", "pier.rate-limit-clients=0").run(context ->
                assertThat(context.getStartupFailure()).rootCause().hasMessageEndingWith("Rate limits must remember at least one client address; the default is 100000."));
    }
}
