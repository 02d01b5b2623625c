package dev.pier.http2.hpack;

import static dev.pier.http2.hpack.Blocks.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Huffman code of RFC 7541 Appendix B: the strings of Appendix C encode to the octets shown
 * there, every octet and random strings come back as they went, and a string that hides EOS or
 * pads with more than 7 bits or with zeros is refused (§5.2).
 */
class HuffmanTest {

    static Stream<Arguments> rfcStrings() {
        return Stream.of(
                argumentSet("www.example.com", "www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff"),
                argumentSet("no-cache", "no-cache", "a8eb 1064 9cbf"),
                argumentSet("custom-key", "custom-key", "25a8 49e9 5ba9 7d7f"),
                argumentSet("custom-value", "custom-value", "25a8 49e9 5bb8 e8b4 bf"),
                argumentSet("302", "302", "6402"),
                argumentSet("private", "private", "aec3 771a 4b"),
                argumentSet("a date", "Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"),
                argumentSet("https://www.example.com", "https://www.example.com", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3"),
                argumentSet("gzip", "gzip", "9bd9 ab"),
                argumentSet("a cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
                        "94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07"));
    }

    @ParameterizedTest
    @MethodSource("rfcStrings")
    void whenAnAppendixCStringIsEncodedThenTheOctetsAreTheRfcs(String text, String hex) {
        assertThat(Huffman.encodedLength(text)).isEqualTo(bytes(hex).length);
        assertThat(encode(text)).isEqualTo(bytes(hex));
    }

    @ParameterizedTest
    @MethodSource("rfcStrings")
    void whenAnAppendixCStringIsDecodedThenItIsTheText(String text, String hex) throws HpackException {
        assertThat(decode(bytes(hex))).isEqualTo(text);
    }

    @Test
    void whenCodesAreRebuiltFromTheirLengthsThenTheyAreAppendixBs() {
        assertThat(Huffman.CODES[0]).isEqualTo(0x1ff8);
        assertThat(Huffman.CODES[' ']).isEqualTo(0x14);
        assertThat(Huffman.CODES['a']).isEqualTo(0x3);
        assertThat(Huffman.CODES['Z']).isEqualTo(0xfd);
        assertThat(Huffman.CODES[127]).isEqualTo(0xffffffc);
        assertThat(Huffman.CODES[255]).isEqualTo(0x3ffffee);
        assertThat(Huffman.CODES[256]).as("EOS").isEqualTo(0x3fffffff);
    }

    @Test
    void whenEveryOctetIsEncodedThenEachComesBack() throws HpackException {
        StringBuilder all = new StringBuilder();
        for (char octet = 0; octet < 256; octet++) {
            String one = String.valueOf(octet);
            assertThat(decode(encode(one))).as("octet %d", (int) octet).isEqualTo(one);
            all.append(octet);
        }
        assertThat(decode(encode(all.toString()))).isEqualTo(all.toString());
    }

    @Test
    void whenRandomStringsAreEncodedThenTheyComeBack() throws HpackException {
        Random random = new Random(7541);
        for (int i = 0; i < 2000; i++) {
            char[] text = new char[random.nextInt(64)];
            for (int j = 0; j < text.length; j++) {
                text[j] = (char) (i % 2 == 0 ? random.nextInt(256) : ' ' + random.nextInt(95));
            }
            String string = new String(text);
            assertThat(decode(encode(string))).isEqualTo(string);
        }
    }

    @Test
    void whenTheStringIsEmptyThenItEncodesToNothing() throws HpackException {
        assertThat(encode("")).isEmpty();
        assertThat(decode(new byte[0])).isEmpty();
    }

    @Test
    void whenACharacterIsBeyondLatin1ThenItIsSentAsAQuestionMark() throws HpackException {
        assertThat(decode(encode("caf\u20ac"))).isEqualTo("caf?");
    }

    @Test
    void whenPaddingIsSevenOnesOrFewerThenTheStringEnds() throws HpackException {
        assertThat(decode(bits("00011" + "111"))).isEqualTo("a");
        assertThat(decode(bits("00011".repeat(3) + "1"))).isEqualTo("aaa");
        assertThat(decode(bits("00011".repeat(5) + "1111111"))).isEqualTo("aaaaa");
    }

    @Test
    void whenTheStringContainsEosThenDecodingFails() {
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> decode(bits("1".repeat(30) + "11")))
                .withMessageContaining("EOS");
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> decode(bits("00011" + "1".repeat(30) + "11111" + "00011" + "111")))
                .withMessageContaining("EOS");
    }

    @Test
    void whenPaddingIsLongerThanSevenBitsThenDecodingFails() {
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> decode(bits("11111111")))
                .withMessageContaining("padded");
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> decode(bits("00011" + "11111111111")))
                .withMessageContaining("padded");
    }

    @Test
    void whenPaddingIsNotAllOnesThenDecodingFails() {
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> decode(bits("00011" + "000")))
                .withMessageContaining("padded");
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> decode(bits("00011" + "101")))
                .withMessageContaining("padded");
    }

    private static byte[] encode(String text) {
        ByteBuffer out = ByteBuffer.allocate(text.length() * 4);
        Huffman.encode(text, out);
        byte[] octets = new byte[out.flip().remaining()];
        out.get(octets);
        return octets;
    }

    private static String decode(byte[] octets) throws HpackException {
        BlockReader in = new BlockReader();
        in.reset(List.of(ByteBuffer.wrap(octets)));
        StringLiteral out = new StringLiteral(1024);
        Huffman.decode(in, octets.length, out);
        return out.string();
    }

    /** Octets from a string of bits, a multiple of 8 long. */
    private static byte[] bits(String bits) {
        assertThat(bits.length() % 8).as("whole octets").isZero();
        byte[] octets = new byte[bits.length() / 8];
        for (int i = 0; i < octets.length; i++) {
            octets[i] = (byte) Integer.parseInt(bits.substring(8 * i, 8 * i + 8), 2);
        }
        return octets;
    }
}
