package dev.pier.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRangeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8        | 10.255.1.2          | true
            10.0.0.0/8        | 11.0.0.1            | false
            192.168.1.0/24    | 192.168.1.255       | true
            192.168.1.0/24    | 192.168.2.0         | false
            172.16.0.0/12     | 172.31.255.255      | true
            172.16.0.0/12     | 172.32.0.0          | false
            127.0.0.1         | 127.0.0.1           | true
            127.0.0.1/32      | 127.0.0.2           | false
            0.0.0.0/0         | 203.0.113.9         | true
            0.0.0.0/0         | 2001:db8::1         | false
            10.0.0.0/8        | ::ffff:10.1.2.3     | true
            2001:db8::/32     | 2001:db8:ffff::1    | true
            2001:db8::/32     | 2001:db9::1         | false
            ::1/128           | ::1                 | true
            ::1               | ::2                 | false
            ::/0              | 10.0.0.1            | false
            ::/0              | fe80::1             | true
            2001:db8:0:8::/61 | 2001:db8:0:f::1     | true
            2001:db8:0:8::/61 | 2001:db8:0:10::1    | false
            """)
    void whenAnAddressIsInsideTheBlockThenItIsContained(String cidr, String address, boolean contained) {
        assertThat(AddressRange.parse(cidr).contains(AddressRange.parseAddress(address))).isEqualTo(contained);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            localhost        | 'localhost' is not an IP address or CIDR block, such as 10.0.0.0/8 or 2001:db8::/32
            10.0.0           | '10.0.0' is not an IP address or CIDR block, such as 10.0.0.0/8 or 2001:db8::/32
            256.0.0.0/8      | '256.0.0.0/8' is not an IP address or CIDR block, such as 10.0.0.0/8 or 2001:db8::/32
            2001:db8:::/32   | '2001:db8:::/32' is not an IP address or CIDR block, such as 10.0.0.0/8 or 2001:db8::/32
            fe80::1%eth0     | 'fe80::1%eth0' is not an IP address or CIDR block, such as 10.0.0.0/8 or 2001:db8::/32
            10.0.0.0/33      | '10.0.0.0/33' has a prefix length that is not a number from 0 to 32
            10.0.0.0/        | '10.0.0.0/' has a prefix length that is not a number from 0 to 32
            ::/129           | '::/129' has a prefix length that is not a number from 0 to 128
            10.0.0.0/-1      | '10.0.0.0/-1' has a prefix length that is not a number from 0 to 32
            10.0.0.1/8       | '10.0.0.1/8' has bits set after its /8 prefix; the block starts at 10.0.0.0/8
            """)
    void whenTheTextIsNotABlockThenOneSentenceSaysWhy(String cidr, String sentence) {
        assertThatIllegalArgumentException().isThrownBy(() -> AddressRange.parse(cidr)).withMessage(sentence);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "_hidden", "example.org", "1.2.3.4.5", "01.2.3", "", "::g", "[::1", "1.2.3.4:80"})
    void whenAHopIsNotALiteralThenItIsNoAddressAndNothingIsLookedUp(String text) {
        assertThat(AddressRange.parseAddress(text)).isNull();
    }
}
