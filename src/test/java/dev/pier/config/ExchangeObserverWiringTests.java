package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.RawHttp;
import dev.pier.observe.AccessLog;
import dev.pier.observe.AccessLogFormat;
import dev.pier.observe.ServerMetrics;
import dev.pier.server.ExchangeObserver;
import dev.pier.server.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Who hears of exchanges: the access log, the request timer, any observer bean, or nobody. */
class ExchangeObserverWiringTests {

    @TempDir
    Path site;

    private ApplicationContextRunner runner;

    @BeforeEach
    void createSite() throws IOException {
        Files.writeString(site.resolve("index.html"), "<h1>temporary site</h1>");
        runner = PierContextRunner.over(site, 1);
    }

    @Test
    void whenNothingIsSetThenACombinedAccessLogAndTheServerMeters() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(AccessLog.class).hasSingleBean(ServerMetrics.class);
            PierProperties.AccessLog accessLog = context.getBean(PierProperties.class).accessLog();
            assertThat(accessLog.enabled()).isTrue();
            assertThat(accessLog.format()).isEqualTo(AccessLogFormat.COMBINED);
            assertThat(accessLog.responseTime()).isFalse();
        });
    }

    @Test
    void whenAccessLogIsOffAndThereIsNoMeterRegistryThenNobodyIsTold() {
        runner.withPropertyValues("pier.access-log.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(AccessLog.class);
            assertThat(PierAutoConfiguration.observer(context.getBeanProvider(ExchangeObserver.class), null)).isSameAs(ExchangeObserver.NONE);
        });
    }

    @Test
    void whenThereIsAMeterRegistryThenEveryRequestIsTimedThere() {
        runner.withPropertyValues("pier.access-log.enabled=false")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    int port = context.getBean(HttpServer.class).port();
                    assertThat(RawHttp.get(port, "/").status()).isEqualTo(200);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    await().atMost(Duration.ofSeconds(5)).until(() -> registry.find("http.server.requests").tag("uri", "root").timer() != null);
                });
    }

    @Test
    void whenAnObserverBeanIsDefinedThenItIsToldOfEachExchangeToo() {
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        runner.withPropertyValues("pier.access-log.enabled=false")
                .withBean("statusObserver", ExchangeObserver.class, () -> exchange -> statuses.add(exchange.status()))
                .run(context -> {
                    int port = context.getBean(HttpServer.class).port();
                    assertThat(RawHttp.get(port, "/missing").status()).isEqualTo(404);
                    await().atMost(Duration.ofSeconds(5)).until(() -> statuses.contains(404));
                });
    }
}
