package dev.pier.http2.hpack;

/**
 * A header field as HPACK sees it: a name and a value of octets, held as ISO-8859-1 strings so
 * that every char is one octet.
 */
public record HeaderField(String name, String value) {

    /** What an entry costs in a dynamic table besides its octets (RFC 7541 §4.1), and a field in a header list (RFC 9113 §6.5.2). */
    public static final int OVERHEAD = 32;

    /** The size RFC 7541 §4.1 counts for a table entry: name and value octets and {@link #OVERHEAD}. */
    public int size() {
        return name.length() + value.length() + OVERHEAD;
    }
}
