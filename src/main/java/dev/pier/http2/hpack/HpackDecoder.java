package dev.pier.http2.hpack;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Decodes the header blocks of one connection's peer (RFC 7541), keeping the dynamic table the
 * peer's encoder keeps. Not thread-safe: the session's loop owns it.
 *
 * <p>A block is decoded whole, from the fragments it came in, read across their boundaries
 * without joining them; only a string literal's octets are copied, into a reused array of bounded
 * size (see {@link StringLiteral}).
 *
 * <p>Two kinds of failure. A block that breaks HPACK (an index outside the tables, a table size
 * update out of place or above the advertised size, bad Huffman, a truncated representation, an
 * integer past an int) throws {@link HpackException}: the tables can no longer be trusted, the
 * connection ends. A header list larger than the limit only refuses the stream: the fields past
 * the limit are not delivered, but every representation is still read and applied to the table,
 * so the next block decodes as the peer meant it.
 */
public final class HpackDecoder {

    /** How a block that broke no HPACK rule ended. */
    public enum Result {
        /** Every field went to the consumer. */
        COMPLETE,
        /**
         * The fields passed the header list limit: the consumer saw only those before the one that
         * passed it. The table is in step; the session refuses the stream (431), not the connection.
         */
        LIST_TOO_LARGE
    }

    private final int maxTableSize;
    private final long maxHeaderListSize;
    private final DynamicTable table;
    private final BlockReader in = new BlockReader();
    private final StringLiteral name;
    private final StringLiteral value;

    /**
     * @param maxTableSize the SETTINGS_HEADER_TABLE_SIZE Pier advertises (4096 by default): the
     *     table starts at it, and a size update above it is an error
     * @param maxHeaderListSize the most a block may decode to, counted as RFC 9113 §6.5.2 does:
     *     name and value octets and 32 per field
     */
    public HpackDecoder(int maxTableSize, int maxHeaderListSize) {
        if (maxHeaderListSize < 0) {
            throw new IllegalArgumentException("Negative header list size " + maxHeaderListSize);
        }
        this.maxTableSize = maxTableSize;
        this.maxHeaderListSize = maxHeaderListSize;
        this.table = new DynamicTable(maxTableSize);
        // Longer strings are of fields neither delivered nor stored: only their length matters.
        int stringLimit = Math.max(maxHeaderListSize, maxTableSize);
        this.name = new StringLiteral(stringLimit);
        this.value = new StringLiteral(stringLimit);
    }

    /** Decodes a block that came in one piece. */
    public Result decode(ByteBuffer block, FieldConsumer consumer) throws HpackException {
        return decode(List.of(block), consumer);
    }

    /**
     * Decodes one complete header block.
     *
     * @param fragments the block's pieces in order, consumed to their limits
     * @param consumer receives the fields in order, up to the header list limit
     */
    public Result decode(List<ByteBuffer> fragments, FieldConsumer consumer) throws HpackException {
        in.reset(fragments);
        long listSize = 0;
        boolean atStart = true;
        while (in.hasRemaining()) {
            int first = in.readByte();
            if ((first & 0x80) != 0) { // indexed field, §6.1
                HeaderField field = field(PrefixInteger.decode(first, 7, in));
                listSize += field.size();
                if (listSize <= maxHeaderListSize) {
                    consumer.field(field.name(), field.value());
                }
            } else if ((first & 0xE0) == 0x20) { // dynamic table size update, §6.3
                updateTableSize(PrefixInteger.decode(first, 5, in), atStart);
                continue;
            } else { // literal: with incremental indexing 01, without indexing 0000, never indexed 0001 (§6.2)
                boolean indexing = (first & 0x40) != 0;
                listSize += literal(PrefixInteger.decode(first, indexing ? 6 : 4, in), indexing, listSize, consumer);
            }
            atStart = false;
        }
        return listSize <= maxHeaderListSize ? Result.COMPLETE : Result.LIST_TOO_LARGE;
    }

    /** The table, for tests that follow it through RFC 7541 Appendix C. */
    DynamicTable table() {
        return table;
    }

    /**
     * Reads a literal's name and value, adds it to the table if asked, and delivers it if the list
     * stays within the limit. Strings are made only for what is delivered or stored.
     *
     * @return the field's size
     */
    private long literal(int nameIndex, boolean indexing, long listSize, FieldConsumer consumer) throws HpackException {
        String indexedName = nameIndex == 0 ? null : field(nameIndex).name();
        if (indexedName == null) {
            readString(name);
        }
        readString(value);
        long size = (indexedName != null ? indexedName.length() : name.length()) + (long) value.length() + HeaderField.OVERHEAD;
        boolean stored = indexing && size <= table.capacity();
        if (indexing && !stored) {
            table.clear(); // what adding an entry larger than the table does, §4.4
        }
        boolean delivered = listSize + size <= maxHeaderListSize;
        if (stored || delivered) {
            HeaderField field = new HeaderField(indexedName != null ? indexedName : name.string(), value.string());
            if (stored) {
                table.add(field);
            }
            if (delivered) {
                consumer.field(field.name(), field.value());
            }
        }
        return size;
    }

    private void readString(StringLiteral into) throws HpackException {
        int first = in.readByte();
        int length = PrefixInteger.decode(first, 7, in);
        if (length > in.remaining()) {
            throw new HpackException("String literal of " + length + " octets runs past the end of the header block");
        }
        into.clear();
        if ((first & 0x80) != 0) {
            Huffman.decode(in, length, into);
        } else {
            into.append(in, length);
        }
    }

    private void updateTableSize(int size, boolean atStart) throws HpackException {
        if (!atStart) {
            throw new HpackException("Dynamic table size update after a field");
        }
        if (size > maxTableSize) {
            throw new HpackException("Dynamic table size update to " + size + ", above the " + maxTableSize + " advertised");
        }
        table.setCapacity(size);
    }

    private HeaderField field(int index) throws HpackException {
        if (index == 0) {
            throw new HpackException("Index 0");
        }
        if (index <= StaticTable.LENGTH) {
            return StaticTable.get(index);
        }
        int position = index - StaticTable.LENGTH - 1;
        if (position >= table.length()) {
            throw new HpackException("Index " + index + " beyond the " + table.length() + " dynamic table entries");
        }
        return table.get(position);
    }
}
