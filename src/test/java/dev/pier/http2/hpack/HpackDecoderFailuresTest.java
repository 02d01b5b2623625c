package dev.pier.http2.hpack;

import static dev.pier.http2.hpack.Blocks.bytes;
import static dev.pier.http2.hpack.Blocks.entries;
import static dev.pier.http2.hpack.Blocks.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * What the decoder refuses, and how. Broken HPACK is an {@link HpackException} (the connection
 * ends); a header list past the limit is {@link HpackDecoder.Result#LIST_TOO_LARGE} after the
 * whole block was applied to the table, so the next block still decodes.
 */
class HpackDecoderFailuresTest {

    private static final String CUSTOM_KEY_WITH_INDEXING = "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572";
    private static final String PATH_WITHOUT_INDEXING = "040c 2f73 616d 706c 652f 7061 7468";

    private final HpackDecoder decoder = new HpackDecoder(4096, 8192);

    @Test
    void whenAnIndexIsZeroThenDecodingFails() {
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> Blocks.decode(decoder, bytes("80"))).withMessage("Index 0");
    }

    @Test
    void whenAnIndexIsBeyondBothTablesThenDecodingFails() throws HpackException {
        assertThat(Blocks.decode(decoder, bytes("bd"))).containsExactly(field("www-authenticate", ""));
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> Blocks.decode(decoder, bytes("be")))
                .withMessageContaining("beyond the 0 dynamic table entries");

        Blocks.decode(decoder, bytes(CUSTOM_KEY_WITH_INDEXING));
        assertThat(Blocks.decode(decoder, bytes("be"))).containsExactly(field("custom-key", "custom-header"));
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> Blocks.decode(decoder, bytes("bf")));
    }

    @Test
    void whenALiteralNamesAnIndexBeyondTheTablesThenDecodingFails() {
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> Blocks.decode(decoder, bytes("7e 0161")));
    }

    @Test
    void whenASizeUpdateIsWithinTheAdvertisedSizeThenTheTableShrinksToIt() throws HpackException {
        Blocks.decode(decoder, bytes(CUSTOM_KEY_WITH_INDEXING));

        assertThat(Blocks.decode(decoder, bytes(sizeUpdate(0) + sizeUpdate(4096) + "82"))).containsExactly(field(":method", "GET"));

        assertThat(decoder.table().length()).as("evicted by the update to 0").isZero();
        assertThat(decoder.table().capacity()).isEqualTo(4096);
    }

    @Test
    void whenASizeUpdateExceedsTheAdvertisedSizeThenDecodingFails() {
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> Blocks.decode(decoder, bytes(sizeUpdate(4097))))
                .withMessageContaining("above the 4096 advertised");
    }

    @Test
    void whenASizeUpdateFollowsAFieldThenDecodingFails() {
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> Blocks.decode(decoder, bytes("82" + sizeUpdate(100))))
                .withMessageContaining("after a field");
    }

    @Test
    void whenAStringClaimsMoreOctetsThanTheBlockHoldsThenDecodingFailsBeforeReadingThem() {
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> Blocks.decode(decoder, bytes("040c 2f73")))
                .withMessageContaining("12 octets runs past the end");
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> Blocks.decode(decoder, bytes("04 7f 80ffffff07")))
                .withMessageContaining("past the end");
    }

    @Test
    void whenAStringLengthPassesAnIntThenDecodingFails() {
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> Blocks.decode(decoder, bytes("04 7f ffffffff0f")))
                .withMessageContaining("2^31");
    }

    @Test
    void whenAHuffmanStringContainsEosThenDecodingFails() {
        assertThatExceptionOfType(HpackException.class).isThrownBy(() -> Blocks.decode(decoder, bytes("04 84 ffffffff")))
                .withMessageContaining("EOS");
    }

    @Test
    void whenTheBlockEndsInsideARepresentationThenDecodingFails() throws HpackException {
        byte[] block = bytes("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff");
        assertThat(Blocks.decode(new HpackDecoder(4096, 8192), Arrays.copyOf(block, 3))).hasSize(3);
        for (int length = 4; length < block.length; length++) {
            byte[] truncated = Arrays.copyOf(block, length);
            assertThatExceptionOfType(HpackException.class).as("block of %d octets", length)
                    .isThrownBy(() -> Blocks.decode(new HpackDecoder(4096, 8192), truncated));
        }
    }

    @Test
    void whenTheListPassesTheLimitThenLaterFieldsAreNotDeliveredButStillIndexed() throws HpackException {
        HpackDecoder small = new HpackDecoder(4096, 64);
        List<HeaderField> fields = new ArrayList<>();

        HpackDecoder.Result result = small.decode(ByteBuffer.wrap(bytes("82" + CUSTOM_KEY_WITH_INDEXING + PATH_WITHOUT_INDEXING)),
                (name, value) -> fields.add(field(name, value)));

        assertThat(result).isEqualTo(HpackDecoder.Result.LIST_TOO_LARGE);
        assertThat(fields).as("42 octets fit in 64, 42 + 55 do not").containsExactly(field(":method", "GET"));
        assertThat(entries(small.table())).containsExactly(field("custom-key", "custom-header"));
        assertThat(Blocks.decode(small, bytes("be"))).as("the next block, in step with the peer")
                .containsExactly(field("custom-key", "custom-header"));
    }

    @Test
    void whenIndexedFieldsRepeatPastTheLimitThenTheyAreCountedNotDelivered() throws HpackException {
        HpackDecoder small = new HpackDecoder(4096, 200);
        Blocks.decode(small, bytes(CUSTOM_KEY_WITH_INDEXING));
        List<HeaderField> fields = new ArrayList<>();

        HpackDecoder.Result result = small.decode(ByteBuffer.wrap(bytes("be".repeat(1000))), (name, value) -> fields.add(field(name, value)));

        assertThat(result).isEqualTo(HpackDecoder.Result.LIST_TOO_LARGE);
        assertThat(fields).as("3 × 55 octets fit in 200").hasSize(3);
    }

    @Test
    void whenAStringIsLongerThanBothLimitsThenItIsOnlyCountedAndTheTableIsEmptied() throws HpackException {
        HpackDecoder small = new HpackDecoder(256, 1024);
        Blocks.decode(small, bytes(CUSTOM_KEY_WITH_INDEXING));
        String huge = "x".repeat(100_000);
        ByteBuffer block = ByteBuffer.allocate(200_000).put((byte) 0x41); // :authority, with incremental indexing
        PrefixInteger.encode(0x80, 7, Huffman.encodedLength(huge), block);
        Huffman.encode(huge, block);

        List<HeaderField> fields = new ArrayList<>();
        HpackDecoder.Result result = small.decode(List.of(block.flip(), ByteBuffer.wrap(bytes("82"))), (name, value) -> fields.add(field(name, value)));

        assertThat(result).isEqualTo(HpackDecoder.Result.LIST_TOO_LARGE);
        assertThat(fields).isEmpty();
        assertThat(small.table().length()).as("an entry larger than the table empties it").isZero();
        assertThat(Blocks.decode(small, bytes("82"))).containsExactly(field(":method", "GET"));
    }

    @Test
    void whenAnEntryIsLargerThanTheTableThenItIsDeliveredAndTheTableEmptied() throws HpackException {
        HpackDecoder small = new HpackDecoder(64, 8192);
        Blocks.decode(small, bytes("41 0161"));
        assertThat(small.table().length()).isOne();

        assertThat(Blocks.decode(small, bytes(CUSTOM_KEY_WITH_INDEXING))).containsExactly(field("custom-key", "custom-header"));

        assertThat(small.table().length()).as("55 octets fit in 64").isOne();
        assertThat(Blocks.decode(small, bytes("400a 6375 7374 6f6d 2d6b 6579 1e" + "61".repeat(30)))).hasSize(1);
        assertThat(small.table().length()).as("72 octets do not").isZero();
    }

    private static String sizeUpdate(int size) {
        ByteBuffer out = ByteBuffer.allocate(PrefixInteger.MAX_LENGTH);
        PrefixInteger.encode(0x20, 5, size, out);
        return Blocks.hex(out.flip());
    }
}
