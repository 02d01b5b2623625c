package dev.pier.http2.hpack;

import static dev.pier.http2.hpack.Blocks.entries;
import static dev.pier.http2.hpack.Blocks.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The encoder as a server uses it for response heads: what a fresh decoder reads back from a
 * sequence of blocks, how a repeated head shrinks, which fields it keeps out of the table, and
 * the table size updates it owes the peer.
 */
class HpackEncoderTest {

    private static final List<HeaderField> RESPONSE = List.of(
            field("server", "pier"), field("date", "Tue, 05 May 2026 10:00:00 GMT"), field("content-type", "text/html;charset=utf-8"),
            field("content-length", "1024"));

    private static final int NO_STATUS = 0;

    private final HpackEncoder encoder = new HpackEncoder();
    private final HpackDecoder decoder = new HpackDecoder(4096, 16384);

    @Test
    void whenBlocksAreEncodedInSequenceThenAFreshDecoderReadsEachBackAndKeepsTheSameTable() throws HpackException {
        List<List<HeaderField>> heads = List.of(
                RESPONSE,
                List.of(field("server", "pier"), field("content-type", "application/json"), field("vary", "accept-encoding"),
                        field("x-request-id", "7f3a"), field("etag", "\"abc\"")),
                List.of(field("server", "pier"), field("content-type", "text/html;charset=utf-8"), field("cache-control", "no-store"),
                        field("vary", "accept-encoding"), field("content-length", "")),
                List.of(field(":status", "200"), field(":status", "302"), field("accept-encoding", "gzip, deflate"),
                        field("content-language", "caf\u00e9"), field("x-frame-options", "DENY"), field("x-frame-options", "SAMEORIGIN")));
        for (List<HeaderField> head : heads) {
            assertThat(Blocks.decode(decoder, List.of(block(head)))).containsExactlyElementsOf(head);
            assertThat(entries(decoder.table())).isEqualTo(entries(encoder.table()));
        }
    }

    @Test
    void whenTheSameResponseHeadIsEncodedAgainThenItsBlockIsAFewOctets() throws HpackException {
        ByteBuffer first = block(200, RESPONSE);
        ByteBuffer second = block(200, RESPONSE);

        assertThat(first.remaining()).isGreaterThan(40);
        assertThat(Blocks.hex(second)).as(":status from the static table, the others from the dynamic one, oldest first").isEqualTo("88" + "c1" + "c0" + "bf" + "be");
        Blocks.decode(decoder, List.of(first));
        assertThat(Blocks.decode(decoder, List.of(second))).containsExactlyElementsOf(prepend(field(":status", "200"), RESPONSE));
    }

    @Test
    void whenAStatusIsInTheStaticTableThenItIsOneOctetElseALiteralWithTheStaticName() throws HpackException {
        int[] statuses = {200, 204, 206, 304, 400, 404, 500};
        for (int i = 0; i < statuses.length; i++) {
            assertThat(Blocks.hex(block(statuses[i], List.of()))).isEqualTo(Integer.toHexString(0x88 + i));
        }
        assertThat(Blocks.hex(block(302, List.of()))).as("RFC 7541 C.6.1 codes 302 as 6402").isEqualTo("08826402");
        assertThat(Blocks.decode(decoder, List.of(block(999, List.of())))).containsExactly(field(":status", "999"));
        assertThat(encoder.table().length()).isZero();
    }

    @Test
    void whenFieldsAreSecretThenTheyAreNeverIndexedHoweverOftenTheyRepeat() throws HpackException {
        List<HeaderField> secrets = List.of(field("set-cookie", "id=1"), field("authorization", "Bearer x"), field("cookie", "a=b"),
                field("proxy-authorization", "Basic y"));
        for (int round = 0; round < 3; round++) {
            for (HeaderField secret : secrets) {
                ByteBuffer block = block(List.of(secret));
                assertThat(block.get(0) & 0xF0).as("never indexed, §6.2.3").isEqualTo(0x10);
                assertThat(Blocks.decode(decoder, List.of(block))).containsExactly(secret);
            }
        }
        assertThat(encoder.table().length()).isZero();
    }

    @Test
    void whenAValueChangesPerResponseThenItIsALiteralKeptOutOfTheTable() {
        for (HeaderField unique : List.of(field("etag", "\"v1\""), field("last-modified", "Tue, 05 May 2026 10:00:00 GMT"),
                field("location", "/next"), field("x-custom", "y"))) {
            ByteBuffer block = block(List.of(unique));
            assertThat(block.get(0) & 0xF0).as("%s without indexing, §6.2.2", unique.name()).isZero();
        }
        assertThat(encoder.table().length()).isZero();
    }

    @Test
    void whenARepeatingNameIsNotInTheStaticTableThenItsNameIsReusedFromTheDynamicTable() {
        block(List.of(field("x-frame-options", "DENY")));

        ByteBuffer block = block(List.of(field("x-frame-options", "SAMEORIGIN")));

        assertThat(block.get(0) & 0xFF).as("incremental indexing, name at index 62").isEqualTo(0x40 | 62);
    }

    @Test
    void whenAValueIsLargeThenItIsNotIndexedLestItEvictTheSmallOnes() {
        block(RESPONSE);
        int entries = encoder.table().length();

        block(List.of(field("content-security-policy", "default-src 'self' " + "https://cdn.example.com ".repeat(50))));

        assertThat(encoder.table().length()).isEqualTo(entries);
    }

    @Test
    void whenHuffmanIsNotShorterThenTheStringGoesAsItIs() throws HpackException {
        ByteBuffer block = block(List.of(field("x-odd", "{{{{")));

        assertThat(Blocks.hex(block)).as("literal name in 4 Huffman octets, value as it is")
                .isEqualTo("00" + "84" + Blocks.hex(huffman("x-odd")) + "04" + "7b7b7b7b");
        assertThat(Blocks.decode(decoder, List.of(block))).containsExactly(field("x-odd", "{{{{"));
    }

    @Test
    void whenThePeerLowersTheTableSizeThenTheNextBlockStartsWithAnUpdateAndTheOneAfterDoesNot() throws HpackException {
        Blocks.decode(decoder, List.of(block(RESPONSE)));

        encoder.setMaxTableSize(256);
        ByteBuffer withUpdate = block(List.of(field("server", "pier")));
        ByteBuffer without = block(List.of(field("server", "pier")));

        assertThat(Blocks.hex(withUpdate)).startsWith("3fe101");
        assertThat(Blocks.hex(without)).as("server, oldest of 4 entries: 212 octets fit in 256").isEqualTo("c1");
        Blocks.decode(decoder, List.of(withUpdate));
        Blocks.decode(decoder, List.of(without));
        assertThat(decoder.table().capacity()).isEqualTo(256);
        assertThat(entries(decoder.table())).isEqualTo(entries(encoder.table()));
    }

    @Test
    void whenTheSizeDropsAndRisesBetweenBlocksThenBothTheSmallestAndTheFinalAreAnnounced() throws HpackException {
        Blocks.decode(decoder, List.of(block(RESPONSE)));

        encoder.setMaxTableSize(0);
        encoder.setMaxTableSize(8192);
        ByteBuffer block = block(List.of(field("server", "pier")));

        assertThat(Blocks.hex(block)).as("0, then 4096: this encoder's own maximum").startsWith("20" + "3fe11f");
        Blocks.decode(decoder, List.of(block));
        assertThat(entries(decoder.table())).containsExactly(field("server", "pier"));
        assertThat(entries(encoder.table())).containsExactly(field("server", "pier"));
    }

    @Test
    void whenThePeerAllowsMoreThanTheEncoderUsesThenNothingIsAnnounced() {
        encoder.setMaxTableSize(65536);

        assertThat(Blocks.hex(block(List.of(field("server", "pier"))))).doesNotStartWith("3f");
    }

    @Test
    void whenTheEncoderUsesNoTableThenItsFirstBlockSaysSoAndNothingIsIndexed() throws HpackException {
        HpackEncoder tableless = new HpackEncoder(0);
        ByteBuffer out = ByteBuffer.allocate(1024);
        tableless.beginBlock(out);
        for (HeaderField field : RESPONSE) {
            tableless.encode(field.name(), field.value(), out);
        }

        assertThat(Blocks.hex(out.flip())).startsWith("20");
        assertThat(Blocks.decode(decoder, List.of(out))).containsExactlyElementsOf(RESPONSE);
        assertThat(tableless.table().length()).isZero();
    }

    @Test
    void whenAFieldDoesNotFitThenNothingIsWrittenAndTheBlockGoesOnInAnotherBuffer() throws HpackException {
        ByteBuffer headers = ByteBuffer.allocate(40);
        encoder.beginBlock(headers);
        encoder.encodeStatus(200, headers);
        encoder.encode("server", "pier", headers);
        int written = headers.position();
        int entries = encoder.table().length();

        assertThatExceptionOfType(BufferOverflowException.class)
                .isThrownBy(() -> encoder.encode("content-type", "text/html;charset=utf-8", headers));

        assertThat(headers.position()).isEqualTo(written);
        assertThat(encoder.table().length()).isEqualTo(entries);
        ByteBuffer continuation = ByteBuffer.allocate(HpackEncoder.maxEncodedLength("content-type", "text/html;charset=utf-8"));
        encoder.encode("content-type", "text/html;charset=utf-8", continuation);
        assertThat(Blocks.decode(decoder, List.of(headers.flip(), continuation.flip())))
                .containsExactly(field(":status", "200"), field("server", "pier"), field("content-type", "text/html;charset=utf-8"));
    }

    private ByteBuffer block(List<HeaderField> fields) {
        return block(NO_STATUS, fields);
    }

    /** A block of the status, unless {@link #NO_STATUS}, and these fields, in a buffer sized by the encoder's own bounds, flipped for reading. */
    private ByteBuffer block(int status, List<HeaderField> fields) {
        ByteBuffer out = ByteBuffer.allocate(HpackEncoder.MAX_BLOCK_START_LENGTH + HpackEncoder.MAX_STATUS_LENGTH
                + fields.stream().mapToInt(field -> HpackEncoder.maxEncodedLength(field.name(), field.value())).sum());
        encoder.beginBlock(out);
        if (status != NO_STATUS) {
            encoder.encodeStatus(status, out);
        }
        for (HeaderField field : fields) {
            encoder.encode(field.name(), field.value(), out);
        }
        return out.flip();
    }

    private static ByteBuffer huffman(String text) {
        ByteBuffer out = ByteBuffer.allocate(Huffman.encodedLength(text));
        Huffman.encode(text, out);
        return out.flip();
    }

    private static List<HeaderField> prepend(HeaderField first, List<HeaderField> rest) {
        return Stream.concat(Stream.of(first), rest.stream()).toList();
    }
}
