package dev.pier.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathCapturesTest {

    @Test
    void whenOneSegmentIsCapturedThenItIsTakenRawAndAnEncodedSlashStaysInside() {
        PathCaptures pattern = PathCaptures.compile("/users/{id}/posts/{post}");
        assertThat(pattern.match("/users/42/posts/a%2Fb")).containsExactly(Map.entry("id", "42"), Map.entry("post", "a%2Fb"));
        assertThat(pattern.match("/users/42/posts")).isNull();
        assertThat(pattern.match("/users/42/posts/a/b")).isNull();
        assertThat(pattern.match("/users/42/posts/a/")).isNull();
    }

    @Test
    void whenTheRestIsCapturedThenItTakesZeroOrMoreSegmentsWithATrailingSlash() {
        PathCaptures pattern = PathCaptures.compile("/old/{*rest}");
        assertThat(pattern.match("/old/a/b/")).containsEntry("rest", "a/b/");
        assertThat(pattern.match("/old/")).containsEntry("rest", "");
        assertThat(pattern.match("/old")).containsEntry("rest", "");
        assertThat(pattern.match("/older/a")).isNull();
        assertThat(PathCaptures.compile("/{*rest}").match("/")).containsEntry("rest", "");
    }

    @Test
    void whenAPatternEndsWithASlashThenOnlyPathsEndingWithOneMatch() {
        assertThat(PathCaptures.compile("/docs/").match("/docs/")).isEmpty();
        assertThat(PathCaptures.compile("/docs/").match("/docs")).isNull();
        assertThat(PathCaptures.compile("/docs").match("/docs/")).isNull();
        assertThat(PathCaptures.compile("/").match("/")).isEmpty();
        assertThat(PathCaptures.compile("/").match("/a")).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            old/{x}            | must start with /
            /a//b              | has an empty segment (//)
            /a/{*rest}/b       | has {*rest} before its end: a rest capture must be the last segment
            /a/x{id}           | has x{id}: a capture is a whole segment, as in /old/{name}
            /a/{id}/{id}       | captures {id} twice
            /a/{path}          | captures {path}, a name targets keep for the whole request path: choose another
            /a/{}              | has {}: a capture needs a name of letters, digits, - or _
            /a/../b            | has the segment .., which no request path has once normalised: write it as a name
            /a b               | holds ' ', which a path does not: percent-encode it
            """)
    void whenAPatternIsMalformedThenTheReasonSaysWhy(String pattern, String reason) {
        assertThatIllegalArgumentException().isThrownBy(() -> PathCaptures.compile(pattern)).withMessage(reason);
    }
}
