package dev.pier.http2.hpack;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;

/**
 * Encodes the header blocks Pier sends on one connection (RFC 7541), keeping the dynamic table
 * the peer's decoder will keep. Not thread-safe: the session's loop owns it.
 *
 * <p>A block is {@link #beginBlock}, then {@link #encodeStatus} and {@link #encode} for each field,
 * written straight into the caller's buffer without intermediate objects. Indexed forms are used
 * where a table holds the field; otherwise {@link Indexing} decides by name, so the fields that
 * repeat across responses go into the table and a repeated response head costs a few octets.
 * Strings are Huffman-encoded only when that is shorter.
 *
 * <p>Sizing: each call needs at most {@link #maxEncodedLength} octets ({@link #MAX_BLOCK_START_LENGTH}
 * for {@link #beginBlock}, {@link #MAX_STATUS_LENGTH} for the status) and, short of that, throws
 * {@link BufferOverflowException} having written nothing and left the table as it was: the
 * session can send what it has as HEADERS and go on in a CONTINUATION frame's buffer.
 *
 * <p>Names must be in lower case (RFC 9113 §8.2.1); the HTTP/2 layer lowercases them.
 */
public final class HpackEncoder {

    /** The table size both ends start from, until the peer's SETTINGS say otherwise. */
    public static final int DEFAULT_TABLE_SIZE = 4096;
    /** The most {@link #beginBlock} writes: two dynamic table size updates. */
    public static final int MAX_BLOCK_START_LENGTH = 2 * PrefixInteger.MAX_LENGTH;
    /** The most {@link #encodeStatus} writes: a name index, a length and three Huffman-coded digits. */
    public static final int MAX_STATUS_LENGTH = 5;

    private static final int STATUS_NAME_INDEX = 8;
    private static final int NO_UPDATE = -1;

    private final int maxTableSize;
    private final DynamicTable table;
    /** The table size to announce at the start of the next block, or {@link #NO_UPDATE}. */
    private int pendingSize = NO_UPDATE;
    /** The smallest size since the last block, announced first when below {@link #pendingSize} (§4.2). */
    private int smallestPendingSize;
    /** Three digits of a status, reused so that encoding one allocates nothing. */
    private final char[] statusDigits = new char[3];
    private final CharBuffer status = CharBuffer.wrap(statusDigits);

    /** An encoder using at most {@link #DEFAULT_TABLE_SIZE}, however much the peer allows. */
    public HpackEncoder() {
        this(DEFAULT_TABLE_SIZE);
    }

    /** @param maxTableSize the most table this encoder uses whatever the peer allows; 0 indexes nothing */
    public HpackEncoder(int maxTableSize) {
        this.maxTableSize = maxTableSize;
        this.table = new DynamicTable(maxTableSize);
        if (maxTableSize > DEFAULT_TABLE_SIZE) {
            table.setCapacity(DEFAULT_TABLE_SIZE);
        } else if (maxTableSize < DEFAULT_TABLE_SIZE) {
            pendingSize = smallestPendingSize = maxTableSize; // the peer's decoder starts at 4096
        }
    }

    /**
     * Takes the peer's SETTINGS_HEADER_TABLE_SIZE: the table becomes the smaller of it and this
     * encoder's maximum, announced at the start of the next block (RFC 7541 §4.2).
     */
    public void setMaxTableSize(int peerSetting) {
        if (peerSetting < 0) {
            throw new IllegalArgumentException("Negative table size " + peerSetting);
        }
        int size = Math.min(peerSetting, maxTableSize);
        if (pendingSize == NO_UPDATE) {
            if (size == table.capacity()) {
                return;
            }
            smallestPendingSize = size;
        }
        smallestPendingSize = Math.min(smallestPendingSize, size);
        pendingSize = size;
    }

    /** Starts a block: writes the table size updates owed since the last one, if any. */
    public void beginBlock(ByteBuffer out) {
        if (pendingSize == NO_UPDATE) {
            return;
        }
        requireRoom(MAX_BLOCK_START_LENGTH, out);
        if (smallestPendingSize < pendingSize) {
            writeSizeUpdate(smallestPendingSize, out);
        }
        writeSizeUpdate(pendingSize, out);
        pendingSize = NO_UPDATE;
    }

    /**
     * Writes {@code :status}: one octet for the seven statuses of the static table, else a literal
     * with the static name, not indexed.
     *
     * @param code 100 to 999
     */
    public void encodeStatus(int code, ByteBuffer out) {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("Status " + code + " is not three digits");
        }
        requireRoom(MAX_STATUS_LENGTH, out);
        int index = switch (code) {
            case 200 -> 8;
            case 204 -> 9;
            case 206 -> 10;
            case 304 -> 11;
            case 400 -> 12;
            case 404 -> 13;
            case 500 -> 14;
            default -> 0;
        };
        if (index != 0) {
            PrefixInteger.encode(0x80, 7, index, out);
            return;
        }
        statusDigits[0] = (char) ('0' + code / 100);
        statusDigits[1] = (char) ('0' + code / 10 % 10);
        statusDigits[2] = (char) ('0' + code % 10);
        PrefixInteger.encode(Indexing.NONE.pattern, Indexing.NONE.prefixBits, STATUS_NAME_INDEX, out);
        writeString(status, out); // digits have 5- and 6-bit codes: Huffman takes 2 or 3 octets
    }

    /** Writes one field; see the class comment for the representation chosen. */
    public void encode(String name, String value, ByteBuffer out) {
        requireRoom(maxEncodedLength(name, value), out);
        int staticNameIndex = StaticTable.indexOfName(name);
        int index = StaticTable.indexOf(staticNameIndex, value);
        if (index == 0) {
            index = dynamicIndex(table.indexOf(name, value));
        }
        if (index != 0) {
            PrefixInteger.encode(0x80, 7, index, out);
            return;
        }
        Indexing indexing = Indexing.of(name);
        // One large value would evict the small ones that repeat: index only what takes a quarter of the table.
        boolean stored = indexing == Indexing.INCREMENTAL && name.length() + value.length() + HeaderField.OVERHEAD <= table.capacity() / 4;
        if (indexing == Indexing.INCREMENTAL && !stored) {
            indexing = Indexing.NONE;
        }
        int nameIndex = staticNameIndex != 0 ? staticNameIndex : dynamicIndex(table.indexOfName(name));
        PrefixInteger.encode(indexing.pattern, indexing.prefixBits, nameIndex, out);
        if (nameIndex == 0) {
            writeString(name, out);
        }
        writeString(value, out);
        if (stored) {
            table.add(new HeaderField(name, value));
        }
    }

    /** The most octets {@link #encode} writes for this field: a literal name and value, each after a length of at most 6 octets. */
    public static int maxEncodedLength(String name, String value) {
        return 1 + PrefixInteger.MAX_LENGTH + name.length() + PrefixInteger.MAX_LENGTH + value.length();
    }

    /** The table, for tests that check what it indexed. */
    DynamicTable table() {
        return table;
    }

    private void writeSizeUpdate(int size, ByteBuffer out) {
        table.setCapacity(size);
        PrefixInteger.encode(0x20, 5, size, out);
    }

    private static void writeString(CharSequence text, ByteBuffer out) {
        int huffmanLength = Huffman.encodedLength(text);
        if (huffmanLength < text.length()) {
            PrefixInteger.encode(0x80, 7, huffmanLength, out);
            Huffman.encode(text, out);
        } else {
            PrefixInteger.encode(0x00, 7, text.length(), out);
            for (int i = 0; i < text.length(); i++) {
                out.put((byte) Huffman.octet(text.charAt(i)));
            }
        }
    }

    /** The HPACK index of a dynamic table position, or 0 for none (-1). */
    private static int dynamicIndex(int position) {
        return position < 0 ? 0 : StaticTable.LENGTH + 1 + position;
    }

    private static void requireRoom(int octets, ByteBuffer out) {
        if (out.remaining() < octets) {
            throw new BufferOverflowException();
        }
    }
}
