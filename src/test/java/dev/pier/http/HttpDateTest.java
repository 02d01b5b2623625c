package dev.pier.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Sun, 06 Nov 1994 08:49:37 GMT   | 1994-11-06T08:49:37Z
            Sunday, 06-Nov-94 08:49:37 GMT  | 1994-11-06T08:49:37Z
            Sun Nov  6 08:49:37 1994        | 1994-11-06T08:49:37Z
            Sun Nov 06 08:49:37 1994        | 1994-11-06T08:49:37Z
            Thu, 29 Feb 2024 23:59:59 GMT   | 2024-02-29T23:59:59Z
            Thu, 01 Jan 1970 00:00:00 GMT   | 1970-01-01T00:00:00Z
            Mon Dec 31 23:59:59 2029        | 2029-12-31T23:59:59Z
            Fri, 31 Dec 9999 23:59:59 GMT   | 9999-12-31T23:59:59Z
            """)
    void whenAnHttpDateInAnyOfItsFormsIsParsedThenItsInstantComesBack(String text, String expected) {
        assertThat(HttpDate.parse(text)).isEqualTo(expected == null ? null : Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "0", "-1", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37 gmt",
            "sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 nov 1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 Nov 1994 08:49:60 GMT",
            "Sun, 06 Nov 1994 08-49-37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT ", " Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:3x GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",
            "Sundae, 06-Nov-94 08:49:37 GMT", "Sunday, 06-Nov-1994 08:49:37 GMT", "Sunday, 06 Nov 94 08:49:37 GMT",
            "Sun Nov 6 08:49:37 1994", "Sun Nov  6 08:49:37 94", "Sun  Nov 6 08:49:37 1994", "Sun Nov  6 08:49:37 1994 GMT"})
    void whenTheTextIsNotAValidHttpDateThenNullSoTheFieldIsIgnored(String text) {
        assertThat(HttpDate.parse(text)).isNull();
    }

    @Test
    void whenNullThenNull() {
        assertThat(HttpDate.parse(null)).isNull();
    }

    @Test
    void whenAnRfc850YearWouldBeMoreThanFiftyYearsAheadThenItIsTheLatestPastYearWithThoseDigits() {
        int thisYear = Year.now(ZoneOffset.UTC).getValue();
        int soon = (thisYear + 10) % 100;
        int far = (thisYear + 60) % 100;

        assertThat(HttpDate.parse("Monday, 01-Jan-%02d 00:00:00 GMT".formatted(soon)).atZone(ZoneOffset.UTC).getYear()).isEqualTo(thisYear + 10);
        assertThat(HttpDate.parse("Monday, 01-Jan-%02d 00:00:00 GMT".formatted(far)).atZone(ZoneOffset.UTC).getYear()).isEqualTo(thisYear - 40);
    }

    @Test
    void whenAFormattedDateIsParsedThenItRoundTrips() {
        Instant instant = Instant.parse("2024-05-06T07:08:09Z");

        assertThat(HttpDate.parse(HttpDate.format(instant))).isEqualTo(instant);
    }
}
