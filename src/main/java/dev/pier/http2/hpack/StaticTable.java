package dev.pier.http2.hpack;

import java.util.HashMap;
import java.util.Map;

/**
 * The 61 predefined entries of RFC 7541 Appendix A. Decoded names from here are these constants,
 * so a request's common names cost no allocation.
 */
final class StaticTable {

    static final int LENGTH = 61;

    private static final HeaderField[] FIELDS = {
        null, // indices start at 1
        field(":authority", ""), field(":method", "GET"), field(":method", "POST"), field(":path", "/"),
        field(":path", "/index.html"), field(":scheme", "http"), field(":scheme", "https"), field(":status", "200"),
        field(":status", "204"), field(":status", "206"), field(":status", "304"), field(":status", "400"),
        field(":status", "404"), field(":status", "500"), field("accept-charset", ""), field("accept-encoding", "gzip, deflate"),
        field("accept-language", ""), field("accept-ranges", ""), field("accept", ""), field("access-control-allow-origin", ""),
        field("age", ""), field("allow", ""), field("authorization", ""), field("cache-control", ""),
        field("content-disposition", ""), field("content-encoding", ""), field("content-language", ""), field("content-length", ""),
        field("content-location", ""), field("content-range", ""), field("content-type", ""), field("cookie", ""),
        field("date", ""), field("etag", ""), field("expect", ""), field("expires", ""),
        field("from", ""), field("host", ""), field("if-match", ""), field("if-modified-since", ""),
        field("if-none-match", ""), field("if-range", ""), field("if-unmodified-since", ""), field("last-modified", ""),
        field("link", ""), field("location", ""), field("max-forwards", ""), field("proxy-authenticate", ""),
        field("proxy-authorization", ""), field("range", ""), field("referer", ""), field("refresh", ""),
        field("retry-after", ""), field("server", ""), field("set-cookie", ""), field("strict-transport-security", ""),
        field("transfer-encoding", ""), field("user-agent", ""), field("vary", ""), field("via", ""),
        field("www-authenticate", ""),
    };

    /** The first index of each name; entries sharing a name are adjacent (:method, :path, :scheme, :status). */
    private static final Map<String, Integer> FIRST_INDEX = firstIndices();

    private StaticTable() {
    }

    /** @param index 1 to {@link #LENGTH} */
    static HeaderField get(int index) {
        return FIELDS[index];
    }

    /** The first index with this name, or 0. */
    static int indexOfName(String name) {
        Integer index = FIRST_INDEX.get(name);
        return index == null ? 0 : index;
    }

    /** The index of this very field, or 0; {@code nameIndex} is {@link #indexOfName}'s answer for its name. */
    static int indexOf(int nameIndex, String value) {
        if (nameIndex == 0) {
            return 0;
        }
        String name = FIELDS[nameIndex].name();
        for (int i = nameIndex; i <= LENGTH && FIELDS[i].name().equals(name); i++) {
            if (FIELDS[i].value().equals(value)) {
                return i;
            }
        }
        return 0;
    }

    private static Map<String, Integer> firstIndices() {
        Map<String, Integer> indices = new HashMap<>();
        for (int i = LENGTH; i >= 1; i--) {
            indices.put(FIELDS[i].name(), i);
        }
        return Map.copyOf(indices);
    }

    private static HeaderField field(String name, String value) {
        return new HeaderField(name, value);
    }
}
