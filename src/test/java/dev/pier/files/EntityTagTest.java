package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EntityTagTest {

    private static final String TAG = "\"1a-5f\"";

    @Test
    void whenTagIsMadeThenStrongQuotedHexOfSizeAndTimeWithTheCoding() {
        assertThat(EntityTag.of(26, 95, ContentCoding.IDENTITY)).isEqualTo("\"1a-5f\"");
        assertThat(EntityTag.of(26, 95, ContentCoding.GZIP)).isEqualTo("\"1a-5f-gzip\"");
        assertThat(EntityTag.of(26, 95, ContentCoding.BR)).isEqualTo("\"1a-5f-br\"");
    }

    @Test
    void whenSizeOrTimeDiffersThenTagDiffers() {
        assertThat(EntityTag.of(26, 95, ContentCoding.IDENTITY))
                .isNotEqualTo(EntityTag.of(27, 95, ContentCoding.IDENTITY))
                .isNotEqualTo(EntityTag.of(26, 96, ContentCoding.IDENTITY));
    }

    /** Weak comparison (If-None-Match) and strong (If-Match) of a list against "1a-5f". */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            '"1a-5f"'                   | true  | true
            'W/"1a-5f"'                 | true  | false
            '*'                         | true  | true
            '"x", "1a-5f"'              | true  | true
            'W/"x", "1a-5f"'            | true  | true
            'W/"x", W/"1a-5f"'          | true  | false
            '"x","y"'                   | false | false
            'W/"x", "y"'                | false | false
            '"1a-5f-gzip"'              | false | false
            '"1A-5F"'                   | false | false
            '1a-5f'                     | false | false
            '"1a-5f'                    | false | false
            'garbage, "1a-5f"'          | true  | true
            'w/"1a-5f"'                 | false | false
            '"a,b", "1a-5f"'            | true  | true
            '  ,  "1a-5f"  ,'           | true  | true
            '""'                        | false | false
            """)
    void whenListIsComparedThenWeakIgnoresWAndStrongRefusesIt(String field, boolean weakMatch, boolean strongMatch) {
        assertThat(EntityTag.listMatches(field, TAG, false)).as("weak").isEqualTo(weakMatch);
        assertThat(EntityTag.listMatches(field, TAG, true)).as("strong").isEqualTo(strongMatch);
    }
}
