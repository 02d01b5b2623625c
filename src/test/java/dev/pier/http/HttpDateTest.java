package dev.pier.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

class HttpDateTest {

    @Test
    void whenAnInstantIsFormattedThenItIsAnImfFixdate() {
        assertThat(HttpDate.format(Instant.parse("1994-11-06T08:49:37Z"))).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    }

    @Test
    void whenTheDayAndTimeHaveOneDigitThenTheyArePadded() {
        assertThat(HttpDate.format(Instant.parse("2026-01-02T03:04:05.999Z"))).isEqualTo("Fri, 02 Jan 2026 03:04:05 GMT");
    }

    @Test
    void whenTheCurrentDateIsAskedThenItParsesBackToNow() {
        Instant before = Instant.now().minusSeconds(1);
        Instant now = ZonedDateTime.parse(HttpDate.now(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertThat(now).isBetween(before, Instant.now().plusSeconds(1));
    }
}
