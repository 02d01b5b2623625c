package dev.pier.handler;

import dev.pier.http.HttpHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrustedProxiesTest {

    private final TrustedProxies proxies = new TrustedProxies(List.of(AddressRange.parse("10.0.0.0/8"), AddressRange.parse("::1/128")));

    private String client(String peer, String... fields) {
        HttpHeaders.Builder headers = HttpHeaders.builder();
        for (int i = 0; i < fields.length; i += 2) {
            headers.add(fields[i], fields[i + 1]);
        }
        return proxies.clientAddress(AddressRange.parseAddress(peer), headers.build()).getHostAddress();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.1    | 203.0.113.7                          | 203.0.113.7
            10.0.0.1    | 203.0.113.7, 10.0.0.2                | 203.0.113.7
            10.0.0.1    | 198.51.100.1, 203.0.113.7, 10.0.0.2  | 203.0.113.7
            10.0.0.1    | 10.0.0.3, 10.0.0.2                   | 10.0.0.3
            10.0.0.1    | unknown, 10.0.0.2                    | 10.0.0.2
            10.0.0.1    | 203.0.113.7, garbage                 | 10.0.0.1
            10.0.0.1    | 203.0.113.7:4711                     | 203.0.113.7
            10.0.0.1    | 2001:db8::1                          | 2001:db8:0:0:0:0:0:1
            10.0.0.1    | '[2001:db8::1]:4711'                 | 2001:db8:0:0:0:0:0:1
            0:0:0:0:0:0:0:1 | 203.0.113.7                      | 203.0.113.7
            """)
    void whenTheXForwardedForHopsAreWalkedFromTheRightThenTheFirstUntrustedOneIsTheClient(String peer, String forwardedFor, String client) {
        assertThat(client(peer, "X-Forwarded-For", forwardedFor)).isEqualTo(client);
    }

    @Test
    void whenThePeerIsNotTrustedThenItsForwardedFieldsAreIgnored() {
        assertThat(client("203.0.113.50", "X-Forwarded-For", "10.0.0.9")).isEqualTo("203.0.113.50");
        assertThat(client("203.0.113.50", "Forwarded", "for=198.51.100.1")).isEqualTo("203.0.113.50");
        assertThat(TrustedProxies.NONE.clientAddress(AddressRange.parseAddress("10.0.0.1"), HttpHeaders.builder().add("X-Forwarded-For", "1.2.3.4").build())
                .getHostAddress()).isEqualTo("10.0.0.1");
    }

    @Test
    void whenASpoofedHopIsLeftOfTheClientThenItIsNotBelieved() {
        // The client wrote "10.9.9.9" itself; the trusted proxy appended the address it saw.
        assertThat(client("10.0.0.1", "X-Forwarded-For", "10.9.9.9, 203.0.113.7")).isEqualTo("203.0.113.7");
    }

    @Test
    void whenSeveralXForwardedForFieldsArriveThenTheyAreOneListInOrder() {
        assertThat(client("10.0.0.1", "X-Forwarded-For", "203.0.113.7", "X-Forwarded-For", "10.0.0.2")).isEqualTo("203.0.113.7");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            for=192.0.2.60;proto=http;by=203.0.113.43                        | 192.0.2.60
            for="_gazonk"                                                    | 10.0.0.1
            For="[2001:db8:cafe::17]:4711"                                   | 2001:db8:cafe:0:0:0:0:17
            for="[2001:db8:cafe::17]"                                        | 2001:db8:cafe:0:0:0:0:17
            for=192.0.2.43, for=198.51.100.17                                | 198.51.100.17
            for=192.0.2.43, for=10.0.0.2                                     | 192.0.2.43
            for=unknown, for=10.0.0.2                                        | 10.0.0.2
            for=192.0.2.43, proto=https                                      | 10.0.0.1
            by=10.0.0.2;for="192.0.2.43:80";host="a,b;c"                     | 192.0.2.43
            for="192.0.2.43                                                  | 10.0.0.1
            """)
    void whenForwardedIsSentThenItsForParametersAreTheHops(String forwarded, String client) {
        assertThat(client("10.0.0.1", "Forwarded", forwarded)).isEqualTo(client);
    }

    @Test
    void whenBothFieldsAreSentThenForwardedWins() {
        assertThat(client("10.0.0.1", "Forwarded", "for=192.0.2.60", "X-Forwarded-For", "198.51.100.1")).isEqualTo("192.0.2.60");
    }

    @Test
    void whenForwardedElementsAreParsedThenQuotesAndEscapesAreRemoved() {
        assertThat(TrustedProxies.forwardedElements(List.of("for=a;by=b, by=c", "for=\"[::1]:80\""))).containsExactly("a", "", "[::1]:80");
        assertThat(TrustedProxies.forwardedElements(List.of("for=\"x\\\"y\""))).containsExactly("x\"y");
    }
}
