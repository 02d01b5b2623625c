package dev.pier.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlEncodingTest {

    @Test
    void whenAFormIsDecodedThenRepeatedNamesCollectValuesInOrder() {
        Map<String, List<String>> fields = UrlEncoding.decodeForm("a=1&b=x+y&c=%E2%9C%93&a=2");
        assertThat(fields).containsExactly(
                Map.entry("a", List.of("1", "2")),
                Map.entry("b", List.of("x y")),
                Map.entry("c", List.of("✓")));
    }

    @Test
    void whenAFormIsEmptyThenThereAreNoFields() {
        assertThat(UrlEncoding.decodeForm("")).isEmpty();
        assertThat(UrlEncoding.decodeForm(null)).isEmpty();
        assertThat(UrlEncoding.decodeForm("&&")).isEmpty();
    }

    @Test
    void whenAFieldHasNoValueThenItsValueIsEmpty() {
        assertThat(UrlEncoding.decodeForm("flag&x=&=y")).containsExactly(
                Map.entry("flag", List.of("")),
                Map.entry("x", List.of("")),
                Map.entry("", List.of("y")));
    }

    @Test
    void whenAValueHoldsEncodedDelimitersThenTheyAreData() {
        assertThat(UrlEncoding.decodeForm("q=a%26b%3Dc%2Bd")).containsExactly(Map.entry("q", List.of("a&b=c+d")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%zz", "a=%2", "a=%", "%g1=x", "a=%ff", "a=%C3"})
    void whenAFormHasAnInvalidEscapeThenItIsABadRequest(String form) {
        assertThatExceptionOfType(HttpException.class)
                .isThrownBy(() -> UrlEncoding.decodeForm(form))
                .satisfies(exception -> assertThat(exception.status()).isEqualTo(400));
    }

    @Test
    void whenAPathIsDecodedThenPlusIsNotASpace() {
        assertThat(UrlEncoding.decodePath("/a+b%20c")).isEqualTo("/a+b c");
        assertThat(UrlEncoding.decodePath("/plain")).isEqualTo("/plain");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%zz", "/%2", "/%00", "/%ff", "/%C0%AE"})
    void whenAPathHasAnInvalidEscapeThenItDoesNotDecode(String path) {
        assertThat(UrlEncoding.decodePath(path)).isNull();
    }
}
