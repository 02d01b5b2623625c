package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CacheControlRulesTest {

    private static final String HTML = "text/html;charset=utf-8";
    private static final String CSS = "text/css;charset=utf-8";

    @Test
    void whenNoRulesThenHtmlIsRevalidatedAndOtherFilesGetNothing() {
        assertThat(CacheControlRules.NONE.forFile("/index.html", HTML)).isEqualTo("no-cache");
        assertThat(CacheControlRules.NONE.forFile("/site.css", CSS)).isNull();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            /assets/app.3f9a.js  | text/javascript;charset=utf-8 | public, max-age=31536000, immutable
            /assets/page.html    | text/html;charset=utf-8       | public, max-age=31536000, immutable
            /docs/index.html     | text/html;charset=utf-8       | no-cache, must-revalidate
            /favicon.ico         | image/x-icon                  | public, max-age=86400
            /robots.txt          | text/plain;charset=utf-8      | NULL
            /notes.txt           | text/plain;charset=utf-8      | max-age=60
            /index.htm           | text/html;charset=utf-8       | max-age=60
            """)
    void whenRulesMatchThenTheMostSpecificWins(String path, String contentType, String expected) {
        Map<String, String> rules = new LinkedHashMap<>();
        // Deliberately least specific first: order of configuration must not matter.
        rules.put("/**", "max-age=60");
        rules.put("/**/*.html", "no-cache, must-revalidate");
        rules.put("/assets/**", "public, max-age=31536000, immutable");
        rules.put("/favicon.ico", "public, max-age=86400");
        rules.put("/robots.txt", " ");

        assertThat(new CacheControlRules(rules).forFile(path, contentType)).isEqualTo(expected);
    }
}
