package dev.pier.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Host field grammar, RFC 9110 §7.2 over RFC 3986 §3.2.2 and §3.2.3. */
class HostFieldTest {

    static Stream<Arguments> values() {
        return Stream.of(
                valid("empty, for a target without authority", ""),
                valid("name", "localhost"),
                valid("name and port", "example.org:8080"),
                valid("upper case", "EXAMPLE.org"),
                valid("IDN in its ASCII form", "xn--bcher-kva.example"),
                valid("underscore, hyphen and tilde", "my_host-1~x.internal"),
                valid("trailing dot", "example.org."),
                valid("every sub-delim", "!$&'()*+,;="),
                valid("percent-encoding", "caf%C3%A9.example"),
                valid("percent-encoding in lower-case hex", "a%2fb"),
                valid("empty port, as *DIGIT allows", "example.org:"),
                valid("port with leading zeros", "example.org:0080"),
                valid("port beyond 65535, syntax only", "example.org:99999"),
                valid("IPv4", "127.0.0.1"),
                valid("IPv4 and port", "127.0.0.1:80"),
                valid("IPv4 extremes", "0.0.0.0:0"),
                valid("IPv4 top", "255.255.255.255"),
                // IPv4address is a subset of reg-name, whose characters include digits and dots (RFC 3986 §3.2.2):
                // these are accepted as names, not checked as addresses.
                valid("out-of-range quad, a valid reg-name", "999.1.1.1"),
                valid("three parts, a valid reg-name", "1.2.3"),
                valid("leading zero, a valid reg-name", "01.2.3.4"),
                valid("IPv6 loopback", "[::1]"),
                valid("IPv6 loopback and port", "[::1]:8080"),
                valid("IPv6 unspecified", "[::]"),
                valid("IPv6 documentation prefix", "[2001:db8::1]"),
                valid("IPv6 in full", "[2001:0db8:0000:0000:0000:ff00:0042:8329]"),
                valid("IPv6 in upper-case hex", "[2001:DB8::A]"),
                valid("IPv6 with :: at the end", "[1:2:3:4:5:6:7::]"),
                valid("IPv6 with :: standing for one piece", "[1:2:3::5:6:7:8]"),
                valid("IPv6 seven pieces after ::", "[::2:3:4:5:6:7:8]"),
                valid("IPv4-mapped IPv6", "[::ffff:192.0.2.1]"),
                valid("IPv4-mapped IPv6 and port", "[::ffff:192.0.2.1]:443"),
                valid("IPv6 six pieces and a quad", "[1:2:3:4:5:6:1.2.3.4]"),
                valid("IPv6 :: and a quad", "[::1.2.3.4]"),
                valid("IPvFuture", "[v1.x]"),
                valid("IPvFuture with port, capital V and every allowed kind", "[V1F.a-._~!$&'()*+,;=:b]:80"),
                invalid("space", "bad host"),
                invalid("slash", "a/b"),
                invalid("backslash", "a\\b"),
                invalid("userinfo", "x@y"),
                invalid("port not digits", "h:port"),
                invalid("port partly digits", "example.org:8x"),
                invalid("signed port", "example.org:+80"),
                invalid("two colons", "a:1:2"),
                invalid("empty host before a port", ":8080"),
                invalid("colon only", ":"),
                invalid("query", "a?b"),
                invalid("fragment", "a#b"),
                invalid("quote", "a\"b"),
                invalid("angle brackets", "<a>"),
                invalid("tab", "a\tb"),
                invalid("non-ASCII", "caf\u00e9.example"),
                invalid("lone percent", "a%"),
                invalid("percent and one hex digit", "a%4"),
                invalid("percent and non-hex", "a%zz"),
                invalid("percent and one non-hex", "a%4g"),
                invalid("bracket inside a name", "a[b]"),
                invalid("closing bracket alone", "a]"),
                invalid("IPv6 unclosed", "[::1"),
                invalid("IPv6 not hex", "[zz]"),
                invalid("IPv6 then garbage", "[::1]x"),
                invalid("IPv6 then empty bracket", "[::1]]"),
                invalid("IPv6 unbracketed", "::1"),
                invalid("empty brackets", "[]"),
                invalid("IPv6 g", "[::g]"),
                invalid("IPv6 five hex digits", "[12345::]"),
                invalid("IPv6 seven pieces without ::", "[1:2:3:4:5:6:7]"),
                invalid("IPv6 nine pieces", "[1:2:3:4:5:6:7:8:9]"),
                invalid("IPv6 eight pieces and ::", "[1:2:3:4:5:6:7:8::]"),
                invalid("IPv6 eight pieces after ::", "[::1:2:3:4:5:6:7:8]"),
                invalid("IPv6 two ::", "[1::2::3]"),
                invalid("IPv6 :::", "[:::]"),
                invalid("IPv6 leading single colon", "[:1::]"),
                invalid("IPv6 trailing single colon", "[1::2:]"),
                invalid("IPv6 quad out of range", "[::ffff:256.0.0.1]"),
                invalid("IPv6 quad with a leading zero", "[::ffff:01.0.0.1]"),
                invalid("IPv6 quad of three parts", "[::ffff:1.2.3]"),
                invalid("IPv6 quad of five parts", "[::ffff:1.2.3.4.5]"),
                invalid("IPv6 quad not last", "[1.2.3.4::]"),
                invalid("IPv6 quad alone", "[1.2.3.4]"),
                invalid("IPv6 six pieces, a quad and too many", "[1:2:3:4:5:6:7:1.2.3.4]"),
                invalid("IPv6 zone identifier", "[fe80::1%25eth0]"),
                invalid("IPvFuture without version", "[v.x]"),
                invalid("IPvFuture without dot", "[v1]"),
                invalid("IPvFuture with nothing after the dot", "[v1.]"),
                invalid("IPvFuture with a slash", "[v1.a/b]"));
    }

    @ParameterizedTest
    @MethodSource("values")
    void whenAValueIsCheckedThenTheGrammarDecides(String value, boolean valid) {
        assertThat(HostField.isValid(value)).isEqualTo(valid);
    }

    private static Arguments valid(String name, String value) {
        return argumentSet(name + " (valid)", value, true);
    }

    private static Arguments invalid(String name, String value) {
        return argumentSet(name + " (invalid)", value, false);
    }
}
