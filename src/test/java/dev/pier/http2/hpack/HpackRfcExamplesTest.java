package dev.pier.http2.hpack;

import static dev.pier.http2.hpack.Blocks.bytes;
import static dev.pier.http2.hpack.Blocks.entries;
import static dev.pier.http2.hpack.Blocks.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The header blocks of RFC 7541 Appendix C.2 to C.6, decoded in sequence on one connection, with
 * the dynamic table and its size checked after each. Every block also decodes the same when cut
 * into two fragments at any offset, and when it arrives one octet a fragment.
 */
class HpackRfcExamplesTest {

    /** One header block of a sequence and what Appendix C shows after it. */
    record Step(String hex, List<HeaderField> fields, List<HeaderField> table, int tableSize) {
    }

    private static final List<HeaderField> REQUEST_1 = List.of(
            field(":method", "GET"), field(":scheme", "http"), field(":path", "/"), field(":authority", "www.example.com"));
    private static final List<HeaderField> REQUEST_2 = List.of(
            field(":method", "GET"), field(":scheme", "http"), field(":path", "/"), field(":authority", "www.example.com"),
            field("cache-control", "no-cache"));
    private static final List<HeaderField> REQUEST_3 = List.of(
            field(":method", "GET"), field(":scheme", "https"), field(":path", "/index.html"), field(":authority", "www.example.com"),
            field("custom-key", "custom-value"));
    private static final List<HeaderField> REQUEST_TABLE_1 = List.of(field(":authority", "www.example.com"));
    private static final List<HeaderField> REQUEST_TABLE_2 = List.of(field("cache-control", "no-cache"), field(":authority", "www.example.com"));
    private static final List<HeaderField> REQUEST_TABLE_3 = List.of(
            field("custom-key", "custom-value"), field("cache-control", "no-cache"), field(":authority", "www.example.com"));

    private static final HeaderField LOCATION = field("location", "https://www.example.com");
    private static final HeaderField DATE_21 = field("date", "Mon, 21 Oct 2013 20:13:21 GMT");
    private static final HeaderField DATE_22 = field("date", "Mon, 21 Oct 2013 20:13:22 GMT");
    private static final HeaderField PRIVATE = field("cache-control", "private");
    private static final HeaderField COOKIE = field("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1");
    private static final List<HeaderField> RESPONSE_1 = List.of(field(":status", "302"), PRIVATE, DATE_21, LOCATION);
    private static final List<HeaderField> RESPONSE_2 = List.of(field(":status", "307"), PRIVATE, DATE_21, LOCATION);
    private static final List<HeaderField> RESPONSE_3 = List.of(field(":status", "200"), PRIVATE, DATE_22, LOCATION,
            field("content-encoding", "gzip"), COOKIE);
    private static final List<HeaderField> RESPONSE_TABLE_1 = List.of(LOCATION, DATE_21, PRIVATE, field(":status", "302"));
    private static final List<HeaderField> RESPONSE_TABLE_2 = List.of(field(":status", "307"), LOCATION, DATE_21, PRIVATE);
    private static final List<HeaderField> RESPONSE_TABLE_3 = List.of(COOKIE, field("content-encoding", "gzip"), DATE_22);

    static Stream<Arguments> sequences() {
        return Stream.of(
                argumentSet("C.2.1 literal with indexing", 4096, List.of(
                        new Step("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
                                List.of(field("custom-key", "custom-header")), List.of(field("custom-key", "custom-header")), 55))),
                argumentSet("C.2.2 literal without indexing", 4096, List.of(
                        new Step("040c 2f73 616d 706c 652f 7061 7468", List.of(field(":path", "/sample/path")), List.of(), 0))),
                argumentSet("C.2.3 literal never indexed", 4096, List.of(
                        new Step("1008 7061 7373 776f 7264 0673 6563 7265 74", List.of(field("password", "secret")), List.of(), 0))),
                argumentSet("C.2.4 indexed field", 4096, List.of(new Step("82", List.of(field(":method", "GET")), List.of(), 0))),
                argumentSet("C.3 requests without Huffman", 4096, List.of(
                        new Step("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", REQUEST_1, REQUEST_TABLE_1, 57),
                        new Step("8286 84be 5808 6e6f 2d63 6163 6865", REQUEST_2, REQUEST_TABLE_2, 110),
                        new Step("8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65", REQUEST_3, REQUEST_TABLE_3, 164))),
                argumentSet("C.4 requests with Huffman", 4096, List.of(
                        new Step("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", REQUEST_1, REQUEST_TABLE_1, 57),
                        new Step("8286 84be 5886 a8eb 1064 9cbf", REQUEST_2, REQUEST_TABLE_2, 110),
                        new Step("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf", REQUEST_3, REQUEST_TABLE_3, 164))),
                argumentSet("C.5 responses without Huffman, 256-octet table", 256, List.of(
                        new Step("""
                                4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133
                                2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70
                                6c65 2e63 6f6d""", RESPONSE_1, RESPONSE_TABLE_1, 222),
                        new Step("4803 3330 37c1 c0bf", RESPONSE_2, RESPONSE_TABLE_2, 222),
                        new Step("""
                                88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d
                                54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049
                                5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e
                                3d31""", RESPONSE_3, RESPONSE_TABLE_3, 215))),
                argumentSet("C.6 responses with Huffman, 256-octet table", 256, List.of(
                        new Step("""
                                4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6
                                2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3""", RESPONSE_1, RESPONSE_TABLE_1, 222),
                        new Step("4883 640e ffc1 c0bf", RESPONSE_2, RESPONSE_TABLE_2, 222),
                        new Step("""
                                88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab
                                77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
                                9587 3160 65c0 03ed 4ee5 b106 3d50 07""", RESPONSE_3, RESPONSE_TABLE_3, 215))));
    }

    @ParameterizedTest
    @MethodSource("sequences")
    void whenEachBlockIsDecodedWholeThenFieldsAndTableAreAsTheRfcShows(int tableSize, List<Step> steps) throws HpackException {
        decodeInSequence(tableSize, steps, block -> List.of(ByteBuffer.wrap(block)));
    }

    @ParameterizedTest
    @MethodSource("sequences")
    void whenEachBlockIsSplitInTwoAtAnyOffsetThenTheOutcomeIsTheSame(int tableSize, List<Step> steps) throws HpackException {
        int longest = steps.stream().mapToInt(step -> bytes(step.hex()).length).max().orElseThrow();
        for (int cut = 0; cut <= longest; cut++) {
            int at = cut;
            decodeInSequence(tableSize, steps, block -> Blocks.split(block, Math.min(at, block.length)));
        }
    }

    @ParameterizedTest
    @MethodSource("sequences")
    void whenEachBlockArrivesOneOctetAFragmentThenTheOutcomeIsTheSame(int tableSize, List<Step> steps) throws HpackException {
        decodeInSequence(tableSize, steps, Blocks::oneOctetEach);
    }

    @Test
    void whenANameComesFromTheStaticTableThenItIsTheTablesOwnString() throws HpackException {
        List<HeaderField> fields = Blocks.decode(new HpackDecoder(4096, 8192), bytes("82 040c 2f73 616d 706c 652f 7061 7468"));

        assertThat(fields.get(0).name()).isSameAs(StaticTable.get(2).name());
        assertThat(fields.get(0).value()).isSameAs(StaticTable.get(2).value());
        assertThat(fields.get(1).name()).isSameAs(StaticTable.get(4).name());
    }

    @Test
    void whenAFieldComesFromTheDynamicTableThenItsStringsAreTheEntrysOwn() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096, 8192);
        Blocks.decode(decoder, bytes("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));

        HeaderField again = Blocks.decode(decoder, bytes("be")).get(0);

        assertThat(again.name()).isSameAs(decoder.table().get(0).name());
        assertThat(again.value()).isSameAs(decoder.table().get(0).value());
    }

    /** Decodes the steps on one decoder, each block in the fragments {@code fragmenter} cuts it into. */
    private static void decodeInSequence(int tableSize, List<Step> steps, Function<byte[], List<ByteBuffer>> fragmenter)
            throws HpackException {
        HpackDecoder decoder = new HpackDecoder(tableSize, 8192);
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            List<ByteBuffer> fragments = fragmenter.apply(bytes(step.hex()));
            List<Integer> lengths = fragments.stream().map(ByteBuffer::remaining).toList();
            assertThat(Blocks.decode(decoder, fragments)).as("fields of block %d in fragments of %s octets", i + 1, lengths)
                    .containsExactlyElementsOf(step.fields());
            assertThat(entries(decoder.table())).as("table after block %d", i + 1).containsExactlyElementsOf(step.table());
            assertThat(decoder.table().size()).as("table size after block %d", i + 1).isEqualTo(step.tableSize());
            assertThat(fragments).as("fragments consumed").noneMatch(ByteBuffer::hasRemaining);
        }
    }
}
