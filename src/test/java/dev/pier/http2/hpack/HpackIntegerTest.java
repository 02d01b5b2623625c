package dev.pier.http2.hpack;

import static dev.pier.http2.hpack.Blocks.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The integer representation of RFC 7541 §5.1, with the examples of Appendix C.1, and the limits
 * the decoder sets: nothing past an int, no more than five continuation octets.
 */
class HpackIntegerTest {

    static Stream<Arguments> appendixC1() {
        return Stream.of(
                argumentSet("C.1.1 10 fits a 5-bit prefix", 5, 10, "0a"),
                argumentSet("C.1.2 1337 takes two continuation octets after a 5-bit prefix", 5, 1337, "1f9a0a"),
                argumentSet("C.1.3 42 takes an octet at an octet boundary", 8, 42, "2a"));
    }

    @ParameterizedTest
    @MethodSource("appendixC1")
    void whenAnAppendixC1IntegerIsEncodedThenTheOctetsAreTheRfcsAndDecodeBack(int prefixBits, int value, String hex) throws HpackException {
        assertThat(encode(0x00, prefixBits, value)).isEqualTo(hex);
        assertThat(decode(hex, prefixBits)).isEqualTo(value);
    }

    @Test
    void whenThePrefixSharesItsOctetWithOtherBitsThenTheyAreKeptApart() throws HpackException {
        assertThat(encode(0xe0, 5, 10)).isEqualTo("ea");
        assertThat(decode("ea", 5)).isEqualTo(10);
        assertThat(decode("ff9a0a", 5)).isEqualTo(1337);
    }

    @Test
    void whenValuesAroundThePrefixAndIntLimitsAreEncodedThenTheyDecodeBack() throws HpackException {
        for (int prefixBits = 1; prefixBits <= 8; prefixBits++) {
            int max = (1 << prefixBits) - 1;
            for (int value : new int[] {0, max - 1, max, max + 1, 127 + max, 128 + max, 1 << 20, Integer.MAX_VALUE}) {
                if (value >= 0) {
                    assertThat(decode(encode(0, prefixBits, value), prefixBits)).as("%d with %d-bit prefix", value, prefixBits).isEqualTo(value);
                }
            }
        }
        assertThat(encode(0, 5, Integer.MAX_VALUE)).hasSize(2 * PrefixInteger.MAX_LENGTH).isEqualTo("1fe0ffffff07");
    }

    @Test
    void whenTheValuePassesTheLargestIntThenDecodingFails() {
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> decode("1fe1ffffff07", 5)).withMessageContaining("2^31");
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> decode("1fffffffff7f", 5)).withMessageContaining("2^31");
    }

    @Test
    void whenMoreThanFiveContinuationOctetsFollowThenDecodingFailsEvenForZeros() throws HpackException {
        assertThat(decode("1f8080808000", 5)).isEqualTo(31);
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> decode("1f808080808000", 5)).withMessageContaining("longer");
    }

    @Test
    void whenTheBlockEndsBeforeTheLastContinuationOctetThenDecodingFails() {
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> decode("1f9a", 5)).withMessageContaining("ends");
    }

    private static String encode(int pattern, int prefixBits, int value) {
        ByteBuffer out = ByteBuffer.allocate(PrefixInteger.MAX_LENGTH);
        PrefixInteger.encode(pattern, prefixBits, value, out);
        return Blocks.hex(out.flip());
    }

    private static int decode(String hex, int prefixBits) throws HpackException {
        BlockReader in = new BlockReader();
        in.reset(List.of(ByteBuffer.wrap(bytes(hex))));
        int value = PrefixInteger.decode(in.readByte(), prefixBits, in);
        assertThat(in.hasRemaining()).as("octets left").isFalse();
        return value;
    }
}
