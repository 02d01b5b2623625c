package dev.pier.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaintenanceFilterTest {

    @ParameterizedTest
    @CsvSource({"PT0S, 0", "PT1S, 1", "PT1.5S, 2", "PT0.001S, 1", "PT5M, 300"})
    void whenRetryAfterHasAFractionThenItIsRoundedUpToWholeSeconds(Duration duration, long seconds) {
        assertThat(MaintenanceFilter.seconds(duration)).isEqualTo(seconds);
    }

    @Test
    void whenRetryAfterIsNegativeThenTheFilterIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new MaintenanceFilter(new Maintenance(true), Duration.ofSeconds(-1), List.of(), null));
    }

    @Test
    void whenTheSwitchIsSetToWhatItIsThenItsTimeStays() {
        Maintenance maintenance = new Maintenance(false);
        Maintenance.State first = maintenance.state();
        assertThat(maintenance.set(false)).isSameAs(first);
        Maintenance.State on = maintenance.set(true);
        assertThat(on.enabled()).isTrue();
        assertThat(maintenance.isEnabled()).isTrue();
        assertThat(maintenance.set(true)).isSameAs(on);
    }
}
