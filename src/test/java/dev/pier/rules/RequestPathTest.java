package dev.pier.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestPathTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /                      | /
            /a/b                   | /a/b
            /a/b/                  | /a/b/
            //evil.example         | /evil.example
            /old//evil.example     | /old/evil.example
            /a/./b                 | /a/b
            /a/../b                | /b
            /a/b/..                | /a/
            /a/%2e%2e/b            | /b
            /a/%2E./b              | /b
            /a/%2Fb                | /a/%2Fb
            /a/..%2Fb              | /a/..%2Fb
            /a/%0d%0a              | /a/%0D%0A
            /%61%7E                | /a~
            /caf%C3%A9             | /caf%C3%A9
            """)
    void whenAPathIsNormalisedThenDotsAndSlashRunsGoAndOtherEscapesStay(String raw, String normalised) {
        assertThat(RequestPath.normalize(raw)).isEqualTo(normalised);
    }

    @ParameterizedTest
    @CsvSource({"/..", "/a/../..", "/%2e%2e/etc", "*"})
    void whenAPathClimbsAboveTheRootThenNoRuleSeesIt(String raw) {
        assertThat(RequestPath.normalize(raw)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"/admin/x, /admin/x", "/public/../admin/x, /admin/x", "/./admin/./x, /admin/x", "/../../admin, /admin",
            "/admin/x/.., /admin/", "/a/., /a/", "/.well-known/x, /.well-known/x", "/.., /"})
    void whenAPathHasDotSegmentsThenTheyAreRemovedAsDocRootDoes(String path, String expected) {
        assertThat(RequestPath.withoutDotSegments(path)).isEqualTo(expected);
    }
}
