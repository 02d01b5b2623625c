package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.server.RawClient;
import dev.pier.server.ServerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code pier.limits.connections-per-address} and its exempt list through the auto-configuration:
 * what reaches the server, a refusal over a socket counted in {@code pier.connections.refused}, and
 * the startup mistakes.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class ConnectionsPerAddressOverSocketTests {

    @TempDir
    Path site;

    @BeforeEach
    void site() throws IOException {
        Files.writeString(site.resolve("index.html"), "home");
    }

    private ApplicationContextRunner runner(String... properties) {
        return PierContextRunner.over(site, 2).withPropertyValues(properties);
    }

    private static int port(AssertableApplicationContext context) {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    @Test
    void whenUnsetThenThereIsNoCap() {
        runner().run(context -> {
            ServerSettings settings = PierAutoConfiguration.settings(context.getBean(PierProperties.class), context.getBean(ServerBindingProperties.class), "Pier");
            assertThat(settings.connections().perAddress()).isZero();
            assertThat(settings.connections().perAddressExempt()).isEmpty();
        });
    }

    @Test
    void whenTheCapIsSetThenTheConnectionPastItIsResetAndCounted() {
        runner("pier.limits.connections-per-address=1", "pier.limits.connections-per-address-exempt=10.0.0.0/8, ::1").run(context -> {
            ServerSettings settings = PierAutoConfiguration.settings(context.getBean(PierProperties.class), context.getBean(ServerBindingProperties.class), "Pier");
            assertThat(settings.connections().perAddress()).isEqualTo(1);
            assertThat(settings.connections().perAddressExempt()).extracting(Object::toString).containsExactly("10.0.0.0/8", "::1");
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean("pierServerMetrics", MeterBinder.class).bindTo(registry);
            try (RawClient first = RawClient.connect(port(context))) {
                assertThat(first.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
                assertThat(RawClient.endsUnanswered(InetAddress.getLoopbackAddress(), port(context))).isTrue();
                assertThat(registry.get("pier.connections.refused").functionCounter().count()).isEqualTo(1);
                assertThat(registry.get("pier.connections.addresses").gauge().value()).isEqualTo(1);
            }
        });
    }

    @Test
    void whenAnExemptEntryIsNotAnAddressThenStartupSaysWhichInOneSentence() {
        runner("pier.limits.connections-per-address=5", "pier.limits.connections-per-address-exempt=127.0.0.1,localhost").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessage("Property pier.limits.connections-per-address-exempt[1] with value 'localhost' is invalid: "
                            + "'localhost' is not an IP address or CIDR block, such as 10.0.0.0/8 or 2001:db8::/32.");
        });
    }

    @Test
    void whenTheCapIsNegativeThenBindingFails() {
        runner("pier.limits.connections-per-address=-1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(BindValidationException.class);
        });
    }
}
