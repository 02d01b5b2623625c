package dev.pier.http2.hpack;

/**
 * The dynamic table of RFC 7541 §2.3.2 and §4: newest entry first, evicting the oldest while the
 * sum of entry sizes passes the capacity. A ring of slots sized once for the largest capacity
 * allowed: an entry costs at least {@link HeaderField#OVERHEAD} octets, so
 * {@code maxCapacity / 32 + 1} slots always suffice and insertion never allocates.
 */
final class DynamicTable {

    private final HeaderField[] ring;
    private final int maxCapacity;
    private int capacity;
    private int size;
    private int length;
    private int newest = -1;

    DynamicTable(int maxCapacity) {
        if (maxCapacity < 0) {
            throw new IllegalArgumentException("Negative table size " + maxCapacity);
        }
        this.ring = new HeaderField[maxCapacity / HeaderField.OVERHEAD + 1];
        this.maxCapacity = maxCapacity;
        this.capacity = maxCapacity;
    }

    /** The number of entries. */
    int length() {
        return length;
    }

    /** The sum of the entries' sizes, in octets. */
    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    /** @param position 0 for the newest entry, up to {@code length() - 1} for the oldest */
    HeaderField get(int position) {
        return ring[Math.floorMod(newest - position, ring.length)];
    }

    /** Adds as newest; an entry larger than the capacity empties the table instead (RFC 7541 §4.4). */
    void add(HeaderField field) {
        int entrySize = field.size();
        if (entrySize > capacity) {
            clear();
            return;
        }
        evictTo(capacity - entrySize);
        newest = (newest + 1) % ring.length;
        ring[newest] = field;
        length++;
        size += entrySize;
    }

    /** Applies a dynamic table size update (RFC 7541 §4.3); callers check it against what was agreed. */
    void setCapacity(int capacity) {
        if (capacity < 0 || capacity > maxCapacity) {
            throw new IllegalArgumentException("Table size " + capacity + " outside 0 to " + maxCapacity);
        }
        this.capacity = capacity;
        evictTo(capacity);
    }

    void clear() {
        evictTo(0);
    }

    /** The position of an entry with this name and value, or -1. */
    int indexOf(String name, String value) {
        for (int i = 0; i < length; i++) {
            HeaderField field = get(i);
            if (field.name().equals(name) && field.value().equals(value)) {
                return i;
            }
        }
        return -1;
    }

    /** The position of the newest entry with this name, or -1. */
    int indexOfName(String name) {
        for (int i = 0; i < length; i++) {
            if (get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private void evictTo(int targetSize) {
        while (size > targetSize) {
            int oldest = Math.floorMod(newest - length + 1, ring.length);
            size -= ring[oldest].size();
            ring[oldest] = null;
            length--;
        }
    }
}
