package dev.pier.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathTemplateTest {

    @ParameterizedTest(name = "[{index}] {0} ~ {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /                      | /                       | true  | {}
            /orders                | /orders                 | true  | {}
            /orders                | /orders/                | false | {}
            /orders                | /order                  | false | {}
            /orders/{id}           | /orders/42              | true  | {id=42}
            /orders/{id}           | /orders/                | false | {}
            /orders/{id}           | /orders/42/items        | false | {}
            /orders/{id}/items     | /orders/42/items        | true  | {id=42}
            /orders/{id}           | /orders/a%20b           | true  | {id=a b}
            /orders/{id}           | /orders/a%2Fb           | true  | {id=a/b}
            /files/{*rest}         | /files/a/b/c.txt        | true  | {rest=a/b/c.txt}
            /files/{*rest}         | /files                  | true  | {rest=}
            /files/{*rest}         | /files/                 | true  | {rest=}
            /files/{*rest}         | /filesx                 | false | {}
            """)
    void whenAPathIsMatchedThenSegmentsAndVariablesDecide(String template, String path, boolean matches, String variables) {
        Map<String, String> found = new HashMap<>();
        assertThat(PathTemplate.compile(template).matches(path, found)).isEqualTo(matches);
        if (matches) {
            assertThat(found).hasToString(variables);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders", "/orders/", "/orders//items", "/orders/{id", "/orders/x{id}", "/files/{*rest}/more", "/a/{}", "/a/{b c}"})
    void whenATemplateIsMalformedThenItIsRefusedNamingIt(String template) {
        assertThatIllegalArgumentException().isThrownBy(() -> PathTemplate.compile(template)).withMessageContaining(template);
    }

    @Test
    void whenTemplatesAreSortedThenLiteralsBeatVariablesWhichBeatTheRest() {
        List<String> sorted = Stream.of("/files/{*rest}", "/orders/{id}", "/orders/new", "/orders/{id}/items", "/{*all}", "/orders")
                .map(PathTemplate::compile).sorted().map(PathTemplate::toString).toList();

        assertThat(sorted).containsExactly("/files/{*rest}", "/orders/new", "/orders/{id}/items", "/orders/{id}", "/orders", "/{*all}");
    }

    @Test
    void whenTwoTemplatesDifferOnlyInVariableNamesThenTheyHaveTheSameShape() {
        assertThat(PathTemplate.compile("/orders/{id}").sameShape(PathTemplate.compile("/orders/{orderId}"))).isTrue();
        assertThat(PathTemplate.compile("/orders/{id}").sameShape(PathTemplate.compile("/orders/new"))).isFalse();
    }
}
