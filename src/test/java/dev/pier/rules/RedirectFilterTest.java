package dev.pier.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpVersion;
import dev.pier.http.RequestTarget;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedirectFilterTest {

    private static RedirectFilter.Rule rule(String from, String to) {
        return new RedirectFilter.Rule(from, to, null, 301, true);
    }

    private static String location(RedirectFilter filter, String host, String target) {
        RedirectFilter.Match match = filter.match(request(host, target));
        return match == null ? null : match.location();
    }

    private static HttpRequest request(String host, String target) {
        HttpHeaders headers = host == null ? HttpHeaders.EMPTY : HttpHeaders.builder().add("Host", host).build();
        return new HttpRequest(HttpMethod.GET, RequestTarget.parse(target), HttpVersion.HTTP_1_1, headers, null);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /old/{*rest} | /new/{rest}                   | /old/a/b?x=1          | /new/a/b?x=1
            /old/{*rest} | /new/{rest}?from=old          | /old/a?x=1            | /new/a?from=old&x=1
            /old/{*rest} | /new/{rest}                   | /old/a?               | /new/a
            /old/{*rest} | /{rest}                       | /old//evil.example    | /evil.example
            /old/{*rest} | /{rest}                       | /old/%2F%2Fevil.example | /%2F%2Fevil.example
            /old/{*rest} | /{rest}                       | /old/%5Cevil.example  | /%5Cevil.example
            /old/{*rest} | /new/{rest}                   | /old/%0d%0aSet-Cookie:x=1 | /new/%0D%0ASet-Cookie:x=1
            /old/{*rest} | /new/{rest}                   | /old/a/%2e%2e/b       | /new/b
            /{*rest}     | https://example.test/{rest}   | /                     | https://example.test/
            /{*rest}     | https://example.test{path}    | /a/b?x=1              | https://example.test/a/b?x=1
            /x/{a}/{b}   | /y/{b}/{a}                    | /x/1/2                | /y/2/1
            /x/{*rest}   | /y{path}                      | /x/y                  | /y/x/y
            """)
    void whenARuleMatchesThenTheLocationIsItsTargetWithCapturesAndQuery(String from, String to, String target, String location) {
        assertThat(location(RedirectFilter.of(List.of(rule(from, to))), "localhost", target)).isEqualTo(location);
    }

    @Test
    void whenDotSegmentsLeaveTheRulesPrefixThenItDoesNotMatch() {
        RedirectFilter filter = RedirectFilter.of(List.of(rule("/old/{*rest}", "/new/{rest}")));
        assertThat(location(filter, "localhost", "/old/../admin")).isNull();
        assertThat(location(filter, "localhost", "/old/../../etc/passwd")).isNull();
    }

    @Test
    void whenKeepQueryIsOffThenTheQueryIsDropped() {
        RedirectFilter filter = RedirectFilter.of(List.of(new RedirectFilter.Rule("/a", "/b", null, 302, false)));
        assertThat(filter.match(request("localhost", "/a?x=1"))).isEqualTo(new RedirectFilter.Match(302, "/b"));
    }

    @Test
    void whenARuleHasAHostThenOnlyThatHostMatchesWhateverItsCaseAndPort() {
        RedirectFilter filter = RedirectFilter.of(List.of(new RedirectFilter.Rule("/{*rest}", "http://example.test/{rest}", "www.example.test", 301, true)));
        assertThat(location(filter, "WWW.Example.Test:8080", "/a")).isEqualTo("http://example.test/a");
        assertThat(location(filter, "www.example.test.", "/a")).isEqualTo("http://example.test/a");
        assertThat(location(filter, "example.test", "/a")).isNull();
        assertThat(location(filter, null, "/a")).isNull();
    }

    @Test
    void whenSeveralRulesMatchThenTheFirstWins() {
        RedirectFilter filter = RedirectFilter.of(List.of(rule("/a/special", "/one"), rule("/a/{x}", "/two/{x}")));
        assertThat(location(filter, "localhost", "/a/special")).isEqualTo("/one");
        assertThat(location(filter, "localhost", "/a/other")).isEqualTo("/two/other");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /a/{x}       | /b/{y}                       | 301 | pier.redirects[0].to     | Redirect 0's to uses {y}, which from does not capture (it captures {x}).
            /a           | https:///b                   | 301 | pier.redirects[0].to     | Redirect 0's to has no host after https://: write the host out, as in https://example.test/.
            /a/{x}       | https://example.test{x}      | 301 | pier.redirects[0].to     | Redirect 0's to puts a capture right after the host, where it could change the host: write a / before it.
            /a/{x}       | https://{x}/                 | 301 | pier.redirects[0].to     | Redirect 0's to has no host after https://: write the host out, as in https://example.test/.
            /a           | //example.test/              | 301 | pier.redirects[0].to     | Redirect 0's to starts with //, which browsers read as another host: write the scheme, as in https://host/.
            /a           | b                            | 301 | pier.redirects[0].to     | Redirect 0's to must be a path starting with / or a URL starting with http:// or https://.
            /a           | /b                           | 303 | pier.redirects[0].status | Redirect 0's status must be 301, 302, 307 or 308.
            a            | /b                           | 301 | pier.redirects[0].from   | Redirect 0's from must start with /.
            /a/{x}       | /a/{x}                       | 301 | pier.redirects[0].to     | Redirect 0 sends /a/x to /a/x, which it matches again: clients would loop.
            /docs/{*r}   | /docs/v2/{r}                 | 301 | pier.redirects[0].to     | Redirect 0 sends /docs/x to /docs/v2/x, which it matches again: clients would loop.
            /{lang}/docs | /en/docs                     | 301 | pier.redirects[0].to     | Redirect 0 sends /x/docs to /en/docs, which it matches again: clients would loop.
            """)
    void whenARuleCannotWorkThenOneSentenceSaysWhyNamingTheKey(String from, String to, int status, String key, String sentence) {
        assertThatExceptionOfType(InvalidRuleException.class).isThrownBy(() -> RedirectFilter.of(List.of(new RedirectFilter.Rule(from, to, null, status, true))))
                .satisfies(e -> {
                    assertThat(e.property()).isEqualTo(key);
                    assertThat(e.reason()).isEqualTo(sentence);
                });
    }

    @Test
    void whenATargetUrlNamesTheRulesOwnHostThenALoopIsRefusedButAnotherHostIsFine() {
        assertThatExceptionOfType(InvalidRuleException.class)
                .isThrownBy(() -> RedirectFilter.of(List.of(new RedirectFilter.Rule("/{*rest}", "https://example.test/{rest}", "example.test", 301, true))))
                .withMessage("Redirect 0 sends /x to https://example.test/x, which it matches again: clients would loop.");
        RedirectFilter.of(List.of(new RedirectFilter.Rule("/{*rest}", "https://example.test/{rest}", "www.example.test", 301, true)));
        RedirectFilter.of(List.of(rule("/docs", "/docs/"), rule("/a/{x}", "/a/{x}/")));
    }

    @Test
    void whenAHostHasAPortThenItIsRefused() {
        assertThatExceptionOfType(InvalidRuleException.class)
                .isThrownBy(() -> RedirectFilter.of(List.of(new RedirectFilter.Rule("/a", "/b", "example.test:80", 301, true))))
                .withMessage("Redirect 0's host must be a host name without scheme, port or path, such as www.example.test.");
    }
}
