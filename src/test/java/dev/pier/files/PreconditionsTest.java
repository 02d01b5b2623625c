package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.files.Preconditions.Outcome;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreconditionsTest {

    private static final String TAG = "\"1a-5f\"";
    /** Last-Modified: Mon, 06 May 2024 07:08:09 GMT */
    private static final long MODIFIED = Instant.parse("2024-05-06T07:08:09Z").getEpochSecond();

    private static final String BEFORE = "Mon, 06 May 2024 07:08:08 GMT";
    private static final String SAME = "Mon, 06 May 2024 07:08:09 GMT";
    private static final String AFTER = "Mon, 06 May 2024 07:08:10 GMT";

    /**
     * Each row: method, then If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since (empty
     * for absent), and the outcome. Dates name the same, an earlier or a later second than the file.
     */
    @ParameterizedTest(name = "[{index}] {0} IM={1} IUS={2} INM={3} IMS={4} -> {5}")
    @CsvSource(delimiter = '|', textBlock = """
            GET    |                 |        |                 |        | PROCEED
            # If-None-Match: weak comparison, * matches, 304 for GET/HEAD, 412 for others
            GET    |                 |        | '"1a-5f"'       |        | NOT_MODIFIED
            HEAD   |                 |        | '"1a-5f"'       |        | NOT_MODIFIED
            GET    |                 |        | 'W/"1a-5f"'     |        | NOT_MODIFIED
            GET    |                 |        | 'W/"x", "y"'    |        | PROCEED
            GET    |                 |        | 'W/"x", "1a-5f"'|        | NOT_MODIFIED
            GET    |                 |        | '*'             |        | NOT_MODIFIED
            POST   |                 |        | '"1a-5f"'       |        | PRECONDITION_FAILED
            DELETE |                 |        | '*'             |        | PRECONDITION_FAILED
            # If-Modified-Since: 304 when not modified after the date; GET and HEAD only
            GET    |                 |        |                 | SAME   | NOT_MODIFIED
            GET    |                 |        |                 | AFTER  | NOT_MODIFIED
            GET    |                 |        |                 | BEFORE | PROCEED
            HEAD   |                 |        |                 | SAME   | NOT_MODIFIED
            POST   |                 |        |                 | SAME   | PROCEED
            GET    |                 |        |                 | BAD    | PROCEED
            # If-None-Match beats If-Modified-Since, either way round
            GET    |                 |        | '"other"'       | SAME   | PROCEED
            GET    |                 |        | '"1a-5f"'       | BEFORE | NOT_MODIFIED
            # If-Match: strong comparison, * matches any current file
            GET    | '"1a-5f"'       |        |                 |        | PROCEED
            GET    | 'W/"1a-5f"'     |        |                 |        | PRECONDITION_FAILED
            GET    | '"other"'       |        |                 |        | PRECONDITION_FAILED
            GET    | '"other", "1a-5f"' |     |                 |        | PROCEED
            GET    | '*'             |        |                 |        | PROCEED
            PUT    | '"other"'       |        |                 |        | PRECONDITION_FAILED
            # If-Unmodified-Since: 412 when modified after the date; ignored when invalid
            GET    |                 | SAME   |                 |        | PROCEED
            GET    |                 | AFTER  |                 |        | PROCEED
            GET    |                 | BEFORE |                 |        | PRECONDITION_FAILED
            GET    |                 | BAD    |                 |        | PROCEED
            # If-Match beats If-Unmodified-Since
            GET    | '"1a-5f"'       | BEFORE |                 |        | PROCEED
            GET    | '"other"'       | AFTER  |                 |        | PRECONDITION_FAILED
            # 412 from step 1 or 2 comes before 304 from step 3 or 4
            GET    | '"other"'       |        | '"1a-5f"'       |        | PRECONDITION_FAILED
            GET    |                 | BEFORE |                 | SAME   | PRECONDITION_FAILED
            GET    | '"1a-5f"'       |        | '"1a-5f"'       |        | NOT_MODIFIED
            GET    |                 | SAME   |                 | SAME   | NOT_MODIFIED
            """)
    void whenConditionalFieldsArePresentThenRfc9110Order(HttpMethod method, String ifMatch, String ifUnmodifiedSince, String ifNoneMatch,
            String ifModifiedSince, Outcome outcome) {
        HttpHeaders.Builder headers = HttpHeaders.builder().add("Host", "x");
        add(headers, "If-Match", ifMatch);
        add(headers, "If-Unmodified-Since", date(ifUnmodifiedSince));
        add(headers, "If-None-Match", ifNoneMatch);
        add(headers, "If-Modified-Since", date(ifModifiedSince));

        assertThat(Preconditions.evaluate(method, headers.build(), TAG, MODIFIED)).isEqualTo(outcome);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            'Mon, 06 May 2024 07:08:09 GMT'  | NOT_MODIFIED
            'Monday, 06-May-24 07:08:09 GMT' | NOT_MODIFIED
            'Mon May  6 07:08:09 2024'       | NOT_MODIFIED
            'Mon May  6 07:08:08 2024'       | PROCEED
            'not a date'                     | PROCEED
            'Mon, 06 May 2024 07:08:09 GMT, Tue, 07 May 2024 07:08:09 GMT' | PROCEED
            """)
    void whenIfModifiedSinceIsInAnyDateFormThenItCounts(String value, Outcome outcome) {
        HttpHeaders headers = HttpHeaders.builder().add("If-Modified-Since", value).build();

        assertThat(Preconditions.evaluate(HttpMethod.GET, headers, TAG, MODIFIED)).isEqualTo(outcome);
    }

    @org.junit.jupiter.api.Test
    void whenIfModifiedSinceIsRepeatedThenItIsIgnored() {
        HttpHeaders headers = HttpHeaders.builder().add("If-Modified-Since", SAME).add("If-Modified-Since", SAME).build();

        assertThat(Preconditions.evaluate(HttpMethod.GET, headers, TAG, MODIFIED)).isEqualTo(Outcome.PROCEED);
    }

    @org.junit.jupiter.api.Test
    void whenIfNoneMatchIsSplitOverFieldLinesThenEveryLineCounts() {
        HttpHeaders headers = HttpHeaders.builder().add("If-None-Match", "\"a\"").add("If-None-Match", TAG).build();

        assertThat(Preconditions.evaluate(HttpMethod.GET, headers, TAG, MODIFIED)).isEqualTo(Outcome.NOT_MODIFIED);
    }

    @ParameterizedTest(name = "[{index}] If-Range: {0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL                                | true
            '"1a-5f"'                           | true
            'W/"1a-5f"'                         | false
            '"other"'                           | false
            'Mon, 06 May 2024 07:08:09 GMT'     | true
            'Monday, 06-May-24 07:08:09 GMT'    | true
            'Mon, 06 May 2024 07:08:10 GMT'     | false
            'Mon, 06 May 2024 07:08:08 GMT'     | false
            'yesterday'                         | false
            """)
    void whenIfRangeIsGivenThenStrongTagOrExactDate(String ifRange, boolean allows) {
        assertThat(Preconditions.ifRangeAllows(ifRange, TAG, MODIFIED)).isEqualTo(allows);
    }

    private static String date(String which) {
        if (which == null) {
            return null;
        }
        return switch (which) {
            case "BEFORE" -> BEFORE;
            case "SAME" -> SAME;
            case "AFTER" -> AFTER;
            default -> "the day after tomorrow";
        };
    }

    private static void add(HttpHeaders.Builder headers, String name, String value) {
        if (value != null) {
            headers.add(name, value);
        }
    }
}
