package dev.pier.http2.hpack;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Header blocks for tests: from and to hex, cut into fragments, decoded into lists. */
final class Blocks {

    private Blocks() {
    }

    /** Octets from hex as RFC 7541 prints them, spaces and line breaks allowed. */
    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
    }

    /** The octets between the buffer's position and limit, without moving them, as the RFC's hex dumps show them (no spaces). */
    static String hex(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] octets = new byte[copy.remaining()];
        copy.get(octets);
        return HexFormat.of().formatHex(octets);
    }

    /** The block in pieces, cut before each offset given (a cut at 0 or at the end makes an empty fragment). */
    static List<ByteBuffer> split(byte[] block, int... cuts) {
        List<ByteBuffer> fragments = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            fragments.add(ByteBuffer.wrap(block, from, cut - from).slice());
            from = cut;
        }
        fragments.add(ByteBuffer.wrap(block, from, block.length - from).slice());
        return fragments;
    }

    static List<ByteBuffer> oneOctetEach(byte[] block) {
        List<ByteBuffer> fragments = new ArrayList<>();
        for (int i = 0; i < block.length; i++) {
            fragments.add(ByteBuffer.wrap(block, i, 1).slice());
        }
        return fragments;
    }

    static List<HeaderField> decode(HpackDecoder decoder, byte[] block) throws HpackException {
        return decode(decoder, List.of(ByteBuffer.wrap(block)));
    }

    static List<HeaderField> decode(HpackDecoder decoder, List<ByteBuffer> fragments) throws HpackException {
        List<HeaderField> fields = new ArrayList<>();
        HpackDecoder.Result result = decoder.decode(fragments, (name, value) -> fields.add(new HeaderField(name, value)));
        if (result != HpackDecoder.Result.COMPLETE) {
            throw new AssertionError("Expected a complete header list, got " + result);
        }
        return fields;
    }

    /** The table's entries, newest first, as Appendix C lists them. */
    static List<HeaderField> entries(DynamicTable table) {
        List<HeaderField> entries = new ArrayList<>();
        for (int i = 0; i < table.length(); i++) {
            entries.add(table.get(i));
        }
        return entries;
    }

    static HeaderField field(String name, String value) {
        return new HeaderField(name, value);
    }
}
