package dev.pier.http2.hpack;

/**
 * How the encoder represents a response field that is not already in a table (RFC 7541 §6.2),
 * decided by its name as h2o does: index what repeats from response to response, so a repeated
 * head shrinks to an octet a field; keep out of the table what changes every time, so it does not
 * evict what repeats; never index secrets.
 */
enum Indexing {

    /**
     * Literal with incremental indexing: values shared by many responses of one server. The date
     * changes once a second, yet within that second every response repeats it. A content-length
     * repeats whenever a resource is served again; when it does not, its entry (about 50 octets)
     * only hastens the eviction of the others, which cost some 40 octets to index again once per
     * ~80 responses in a 4 KiB table, while a repeat saves 5 of the 6 octets of its literal.
     */
    INCREMENTAL(0x40, 6),
    /**
     * Literal without indexing: longer values unique to a response or a resource (etag,
     * last-modified, location, content-range, expires, a request id) and names not known to
     * repeat, which would evict those that do.
     */
    NONE(0x00, 4),
    /**
     * Literal never indexed (§7.1.3): credentials, which no hop may store in a table, where a
     * guessing attacker could learn them from the size of compressed blocks (CRIME-like).
     */
    NEVER(0x10, 4);

    /** The bits of the first octet above the name index. */
    final int pattern;
    final int prefixBits;

    Indexing(int pattern, int prefixBits) {
        this.pattern = pattern;
        this.prefixBits = prefixBits;
    }

    /** @param name in lower case, as HTTP/2 requires */
    static Indexing of(String name) {
        return switch (name) {
            case "authorization", "proxy-authorization", "cookie", "set-cookie" -> NEVER;
            case "server", "date", "content-type", "content-length", "content-encoding", "content-language", "cache-control", "vary",
                    "accept-ranges", "access-control-allow-origin", "access-control-allow-credentials",
                    "access-control-expose-headers", "strict-transport-security", "x-content-type-options", "x-frame-options",
                    "referrer-policy", "content-security-policy", "alt-svc", "via" -> INCREMENTAL;
            default -> NONE;
        };
    }
}
