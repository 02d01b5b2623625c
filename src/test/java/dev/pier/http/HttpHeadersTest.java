package dev.pier.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpHeadersTest {

    @Test
    void whenTheBuilderChangesAfterBuildingThenWhatWasBuiltStaysAsItWas() {
        HttpHeaders.Builder builder = HttpHeaders.builder().add("A", "1").add("B", "2");
        HttpHeaders first = builder.build();

        builder.add("C", "3");
        HttpHeaders second = builder.build();
        builder.set("A", "changed").remove("B");
        HttpHeaders third = builder.build();

        assertThat(first.toString()).isEqualTo("[A: 1, B: 2]");
        assertThat(second.toString()).isEqualTo("[A: 1, B: 2, C: 3]");
        assertThat(third.toString()).isEqualTo("[C: 3, A: changed]");
    }

    @Test
    void whenManyFieldsAreAddedThenAllAreKeptInOrder() {
        HttpHeaders.Builder builder = HttpHeaders.builder();
        for (int i = 0; i < 100; i++) {
            builder.add("X-" + i, Integer.toString(i));
            assertThat(builder.build().size()).isEqualTo(i + 1);
        }
        HttpHeaders headers = builder.build();
        for (int i = 0; i < 100; i++) {
            assertThat(headers.name(i)).isEqualTo("X-" + i);
            assertThat(headers.value(i)).isEqualTo(Integer.toString(i));
        }
    }

    @Test
    void whenAnIndexIsOutsideTheFieldsThenRefused() {
        HttpHeaders headers = HttpHeaders.builder().add("A", "1").build();

        assertThatThrownBy(() -> headers.name(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> HttpHeaders.EMPTY.value(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void whenNamesDifferInCaseThenTheyAreTheSameField() {
        HttpHeaders headers = HttpHeaders.builder().add("Accept", "a").add("ACCEPT", "b").build();

        assertThat(headers.first("accept")).isEqualTo("a");
        assertThat(headers.all("Accept")).containsExactly("a", "b");
    }
}
