package dev.pier.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpectationTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            null                  | HTTP_1_1 | NONE
            ''                    | HTTP_1_1 | NONE
            100-continue          | HTTP_1_1 | CONTINUE
            100-Continue          | HTTP_1_1 | CONTINUE
            ' 100-continue , '    | HTTP_1_1 | CONTINUE
            fly                   | HTTP_1_1 | UNSUPPORTED
            '100-continue, fly'   | HTTP_1_1 | UNSUPPORTED
            100-continue;x=1      | HTTP_1_1 | UNSUPPORTED
            100-continue          | HTTP_1_0 | NONE
            fly                   | HTTP_1_0 | NONE
            100-continue          | HTTP_2_0 | CONTINUE
            fly                   | HTTP_2_0 | UNSUPPORTED
            """)
    void whenExpectFieldThenExpectation(String value, HttpVersion version, Expectation expected) {
        HttpHeaders headers = value == null ? HttpHeaders.EMPTY : HttpHeaders.builder().add("Expect", value).build();

        assertThat(Expectation.of(headers, version)).isEqualTo(expected);
    }
}
