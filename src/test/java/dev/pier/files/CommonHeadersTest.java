package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommonHeadersTest {

    @ParameterizedTest
    @CsvSource({
            "x-content-type-options, X-Content-Type-Options",
            "content-security-policy, Content-Security-Policy",
            "X-XSS-Protection, X-XSS-Protection",
            "Referrer-Policy, Referrer-Policy",
            "permissions-policy, Permissions-Policy"})
    void whenNameIsLowerCaseThenCapitalisedElseKeptAsWritten(String name, String canonical) {
        assertThat(CommonHeaders.canonical(name)).isEqualTo(canonical);
    }
}
