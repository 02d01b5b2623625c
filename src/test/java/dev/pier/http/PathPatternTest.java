package dev.pier.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathPatternTest {

    @ParameterizedTest(name = "[{index}] {0} ~ {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /**                | /                         | true
            /**                | /index.html               | true
            /**                | /a/b/c.js                 | true
            /assets/**         | /assets/app.js            | true
            /assets/**         | /assets/js/app.js         | true
            /assets/**         | /assets                   | true
            /assets/**         | /assetsx/app.js           | false
            /assets/**         | /other/assets/app.js      | false
            /**/*.html         | /index.html               | true
            /**/*.html         | /docs/a/b/page.html       | true
            /**/*.html         | /docs/page.htm            | false
            /**/*.html         | /docs/page.html/x         | false
            /*.html            | /index.html               | true
            /*.html            | /docs/index.html          | false
            /index.html        | /index.html               | true
            /index.html        | /Index.html               | false
            /docs/*            | /docs/a                   | true
            /docs/*            | /docs/a/b                 | false
            /docs/**/print.css | /docs/print.css           | true
            /docs/**/print.css | /docs/x/y/print.css       | true
            /docs/**/print.css | /docs/x/y/screen.css      | false
            /**/img/**         | /a/img/b/c.png            | true
            /**/img/**         | /img                      | true
            /**/img/**         | /a/image/c.png            | false
            /file?.txt         | /file1.txt                | true
            /file?.txt         | /file.txt                 | false
            /file?.txt         | /file12.txt               | false
            /a*b*c             | /axxbyyc                  | true
            /a*b*c             | /abc                      | true
            /a*b*c             | /acb                      | false
            /*                 | /                         | false
            /                  | /                         | true
            /app.*.js          | /app.3f9a.js              | true
            /app.*.js          | /app.js                   | false
            """)
    void whenPathIsMatchedThenAntSemantics(String pattern, String path, boolean matches) {
        assertThat(PathPattern.compile(pattern).matches(path)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "[{index}] {0} ~ {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /.well-known/**        | /.well-known                       | true
            /.well-known/**        | /.well-known/acme-challenge/abc    | true
            /.well-known/**        | /.well-known/.git/config           | false
            /.well-known/**        | /.well-known/a/.env                | false
            /**                    | /.env                              | false
            /**                    | /a/.git/config                     | false
            /*                     | /.env                              | false
            /?env                  | /.env                              | false
            /**/.well-known/**     | /a/.well-known/x                   | true
            /.well-known/*.txt     | /.well-known/security.txt          | true
            /.well-known/.*        | /.well-known/.x                    | true
            """)
    void whenDotNamesMustBeSpelledOutThenWildcardsSkipThem(String pattern, String path, boolean matches) {
        assertThat(PathPattern.compile(pattern).matchesSpellingOutDotNames(path)).isEqualTo(matches);
        // Ordinary matching lets wildcards take them.
        assertThat(PathPattern.compile(pattern).matches(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"assets/**", "", "/a**", "/**b/c", "*.html"})
    void whenPatternIsInvalidThenRefusedWithTheReason(String pattern) {
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.compile(pattern)).withMessageContaining(pattern);
    }

    @Test
    void whenPatternsAreSortedThenMostSpecificFirstWhateverTheirOrder() {
        List<String> sorted = Stream.of("/**", "/**/*.html", "/assets/**", "/index.html", "/*.html", "/assets/*.js", "/**/*.css")
                .map(PathPattern::compile)
                .sorted(PathPattern.MOST_SPECIFIC_FIRST)
                .map(PathPattern::toString)
                .toList();

        assertThat(sorted).containsExactly("/index.html", "/assets/*.js", "/*.html", "/assets/**", "/**/*.html", "/**/*.css", "/**");
    }

    @ParameterizedTest
    @CsvSource({"/a/bc/d, //a/bc//d/", "/a/**/d, /a//b///d", "/**/d, ///d", "/, //"})
    void whenPathHasEmptySegmentsThenTheyAreSkipped(String pattern, String path) {
        assertThat(PathPattern.compile(pattern).matches(path)).isTrue();
    }
}
