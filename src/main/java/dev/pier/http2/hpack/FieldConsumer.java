package dev.pier.http2.hpack;

/**
 * Receives the fields of a header block in order. It must not throw: the decoder has to read the
 * whole block to keep its table in step with the peer's, so a field the HTTP/2 layer rejects
 * (upper case in a name, a misplaced pseudo-header) is to be noted and acted on after the block.
 */
@FunctionalInterface
public interface FieldConsumer {

    /**
     * @param name as it came, not checked for case; a static table name is the table's own constant
     * @param value the value's octets as ISO-8859-1
     */
    void field(String name, String value);
}
