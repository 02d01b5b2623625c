package dev.pier.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Host field values against exact names and wildcards, nginx's order of precedence, and the names refused. */
class HostSelectorTest {

    private final HostSelector<String> selector = HostSelector.of(List.of(
            new HostSelector.Entry<>(List.of("example.test", "www.example.test"), "site"),
            new HostSelector.Entry<>(List.of("docs.example.test"), "docs"),
            new HostSelector.Entry<>(List.of("*.example.test"), "any"),
            new HostSelector.Entry<>(List.of("*.eu.example.test", "[::1]", "127.0.0.1"), "eu")));

    @ParameterizedTest
    @CsvSource(nullValues = "null", textBlock = """
            example.test,              site
            EXAMPLE.Test,              site
            example.test:8080,         site
            example.test.,             site
            example.test.:443,         site
            www.example.test,          site
            docs.example.test,         docs
            DOCS.EXAMPLE.TEST:80,      docs
            a.example.test,            any
            a.b.example.test,          any
            a.docs.example.test,       any
            eu.example.test,           any
            fr.eu.example.test,        eu
            a.fr.eu.example.test,      eu
            [::1]:8080,                eu
            127.0.0.1,                 eu
            127.0.0.1:8080,            eu
            example.org,               null
            xexample.test,             null
            .example.test,             null
            test,                      null
            '',                        null
            null,                      null
            """)
    void whenAHostIsSelectedThenExactNamesWinOverWildcardsAndLongerWildcardsOverShorter(String host, String expected) {
        assertThat(selector.select(host)).isEqualTo(expected);
    }

    @Test
    void whenOnlyExactNamesAreConfiguredThenNoWildcardMatches() {
        HostSelector<String> exact = HostSelector.of(List.of(new HostSelector.Entry<>(List.of("example.test"), "site")));
        assertThat(exact.select("a.example.test")).isNull();
        assertThat(exact.select("Example.Test")).isEqualTo("site");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            a.*.b          | Host 0's name a.*.b is not a host name without port, such as example.org, or a wildcard of whole first labels, such as *.example.org.
            *a.example.org | Host 0's name *a.example.org is not a host name without port, such as example.org, or a wildcard of whole first labels, such as *.example.org.
            example.*      | Host 0's name example.* is not a host name without port, such as example.org, or a wildcard of whole first labels, such as *.example.org.
            *              | Host 0's name * is not a host name without port, such as example.org, or a wildcard of whole first labels, such as *.example.org.
            *.             | Host 0's name *. is not a host name without port, such as example.org, or a wildcard of whole first labels, such as *.example.org.
            example.org:80 | Host 0's name example.org:80 is not a host name without port, such as example.org, or a wildcard of whole first labels, such as *.example.org.
            a..example.org | Host 0's name a..example.org is not a host name without port, such as example.org, or a wildcard of whole first labels, such as *.example.org.
            exa mple.org   | Host 0's name exa mple.org is not a host name without port, such as example.org, or a wildcard of whole first labels, such as *.example.org.
            """)
    void whenANameIsNeitherAHostNameNorAWildcardThenItIsRefusedInOneSentence(String name, String sentence) {
        assertThatExceptionOfType(HostSelector.InvalidHostException.class)
                .isThrownBy(() -> HostSelector.of(List.of(new HostSelector.Entry<>(List.of(name), "x"))))
                .withMessage(sentence)
                .satisfies(e -> assertThat(e.host()).isZero());
    }

    @Test
    void whenTwoHostsShareANameThenTheLaterIsRefusedWhateverItsCase() {
        assertThatExceptionOfType(HostSelector.InvalidHostException.class)
                .isThrownBy(() -> HostSelector.of(List.of(new HostSelector.Entry<>(List.of("a.test", "*.b.test"), "x"),
                        new HostSelector.Entry<>(List.of("c.test", "*.B.test."), "y"))))
                .withMessage("Host 1's name *.B.test. is already a name of host 0: each name may belong to one host only.")
                .satisfies(e -> assertThat(e.host()).isEqualTo(1));
    }

    @Test
    void whenAHostHasNoNamesThenItIsRefused() {
        assertThatExceptionOfType(HostSelector.InvalidHostException.class)
                .isThrownBy(() -> HostSelector.of(Arrays.asList(new HostSelector.Entry<>(List.of("a.test"), "x"), new HostSelector.Entry<>(List.of(), "y"))))
                .withMessage("Host 1 has no names: give it at least one, such as example.org or *.example.org.");
    }
}
