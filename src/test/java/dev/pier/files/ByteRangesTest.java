package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangesTest {

    /** Against a 1000-byte file, at most 16 ranges; "200" means the field is ignored, "416" unsatisfiable. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            bytes=0-499                 | 0-499
            bytes=0-0                   | 0-0
            bytes=999-999               | 999-999
            bytes=500-                  | 500-999
            bytes=0-                    | 0-999
            bytes=-100                  | 900-999
            bytes=-1                    | 999-999
            bytes=-5000                 | 0-999
            bytes=900-5000              | 900-999
            bytes=0-99999999999999999999999 | 0-999
            BYTES=0-1                   | 0-1
            'bytes= 0-1 ,  5-6 '        | 0-6
            bytes=0-1,,                 | 0-1
            # unsatisfiable: nothing starts inside the file
            bytes=1000-                 | 416
            bytes=1000-2000             | 416
            bytes=-0                    | 416
            bytes=99999999999999999999- | 416
            bytes=1000-1001,2000-       | 416
            # a satisfiable one among unsatisfiable ones is enough
            bytes=1000-1001,5-9         | 5-9
            bytes=-0,0-0                | 0-0
            # invalid: the whole field is ignored
            bytes=5-2                   | 200
            bytes=0-1,5-2               | 200
            bytes=                      | 200
            bytes=-                     | 200
            bytes=a-b                   | 200
            bytes=1-2-3                 | 200
            bytes=--1                   | 200
            'bytes=0 -1'                | 200
            bytes=+1-2                  | 200
            bytes=0x10-20               | 200
            items=0-1                   | 200
            bytes 0-1                   | 200
            bytes                       | 200
            ''                          | 200
            # coalescing: overlaps, neighbours and small gaps become one range, in order
            bytes=0-99,50-149           | 0-149
            bytes=0-99,100-199          | 0-199
            bytes=100-199,0-99          | 0-199
            bytes=0-9,90-99             | 0-99
            bytes=0-9,91-99             | 0-9 91-99
            bytes=0-9,92-99             | 0-9 92-99
            bytes=500-599,0-9           | 0-9 500-599
            bytes=0-0,-1                | 0-0 999-999
            bytes=0-,0-,0-              | 0-999
            bytes=-500,0-               | 0-999
            bytes=0-9,200-209,400-409   | 0-9 200-209 400-409
            """)
    void whenRangeIsReadAgainstTheFileThenRfc9110Rules(String field, String expected) {
        assertThat(describe(ByteRanges.parse(field, 1000, 16))).isEqualTo(expected);
    }

    @Test
    void whenMoreRangesThanAllowedThenTooManyAndTheWholeFileIsSent() {
        String seventeen = "bytes=" + java.util.stream.IntStream.range(0, 17).mapToObj(i -> i * 10 + "-" + i * 10).collect(Collectors.joining(","));
        String sixteen = "bytes=" + java.util.stream.IntStream.range(0, 16).mapToObj(i -> i * 200 + "-" + i * 200).collect(Collectors.joining(","));

        assertThat(ByteRanges.parse(seventeen, 1000, 16)).isEqualTo(new ByteRanges.TooMany(17));
        assertThat(ByteRanges.parse(sixteen, 4000, 16)).isInstanceOf(ByteRanges.Satisfiable.class)
                .extracting(result -> ((ByteRanges.Satisfiable) result).ranges().size()).isEqualTo(16);
        assertThat(ByteRanges.parse("bytes=0-1,5-6", 1000, 1)).isEqualTo(new ByteRanges.TooMany(2));
    }

    @Test
    void whenManyOverlappingTinyRangesThenTheyCoalesceSoTheAnswerIsNoLargerThanTheFile() {
        List<String> ranges = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            ranges.add("0-");
        }
        ByteRanges.Result result = ByteRanges.parse("bytes=" + String.join(",", ranges), 1000, 16);

        assertThat(describe(result)).isEqualTo("0-999");
    }

    @Test
    void whenFileIsEmptyThenAnyRangeIsIgnored() {
        assertThat(ByteRanges.parse("bytes=0-0", 0, 16)).isInstanceOf(ByteRanges.Ignored.class);
        assertThat(ByteRanges.parse("bytes=-1", 0, 16)).isInstanceOf(ByteRanges.Ignored.class);
    }

    @Test
    void whenContentRangeIsWrittenThenBothEndsAndTheLength() {
        assertThat(new ByteRange(0, 499).contentRange(1234)).isEqualTo("bytes 0-499/1234");
        assertThat(new ByteRange(5, 5).length()).isEqualTo(1);
    }

    private static String describe(ByteRanges.Result result) {
        if (result instanceof ByteRanges.Satisfiable satisfiable) {
            return satisfiable.ranges().stream().map(range -> range.first() + "-" + range.last()).collect(Collectors.joining(" "));
        }
        return result instanceof ByteRanges.Unsatisfiable ? "416" : "200";
    }
}
