package dev.pier.http1;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KnownFieldNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"Host", "Accept-Encoding", "Sec-Fetch-Site", "accept", "Transfer-Encoding"})
    void whenAKnownNameIsParsedThenTheSharedConstantWithTheSameSpelling(String name) {
        String parsed = KnownFieldNames.of(framed(name), 2, 2 + name.length());

        assertThat(parsed).isEqualTo(name);
        assertThat(KnownFieldNames.of(framed(name), 2, 2 + name.length())).isSameAs(parsed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HOST", "X-Custom", "Hos", "Hostt", "Accept-Encodinf", "aCCEPT"})
    void whenANameIsUnknownOrSpelledOtherwiseThenItsOwnStringAsSent(String name) {
        String parsed = KnownFieldNames.of(framed(name), 2, 2 + name.length());

        assertThat(parsed).isEqualTo(name);
        assertThat(KnownFieldNames.of(framed(name), 2, 2 + name.length())).isNotSameAs(parsed);
    }

    /** The name inside other bytes, as it is in a request head. */
    private static byte[] framed(String name) {
        return ("\r\n" + name + ": value\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
