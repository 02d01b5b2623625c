package dev.pier.server;

import static dev.pier.http2.ErrorCode.COMPRESSION_ERROR;
import static dev.pier.test.Octets.bytes;

import java.util.stream.Stream;

/**
 * h2spec's "hpack" cases, of RFC 7541: each decoding error in a request's header block is a
 * connection error of COMPRESSION_ERROR (RFC 9113 §4.3), as the tables can no longer be trusted.
 * Each sends a GET whose header block has the octets of the error around h2spec's request fields.
 */
class Http2ConformanceHpackTest extends H2Spec {

    private static final Verdict DECODING_ERROR = goAway(COMPRESSION_ERROR);

    @Override
    Stream<Case> cases() {
        return Stream.of(
                // ---- 2.3.3 Index Address Space
                hpack("2.3.3/1", "Sends a indexed header field representation with invalid index", DECODING_ERROR,
                        getWithin(NONE, bytes(0xc6))), // index 70
                // With incremental indexing, name index 70, empty value.
                hpack("2.3.3/2", "Sends a literal header field representation with invalid index", DECODING_ERROR,
                        getWithin(NONE, bytes(0x7f, 0x07, 0x00))),

                // ---- 4.2 Maximum Table Size
                hpack("4.2/1", "Sends a dynamic table size update at the end of header block", DECODING_ERROR,
                        getWithin(NONE, bytes(0x21))),

                // ---- 5.2 String Literal Representation
                // x-test: test, with an extra octet of padding.
                hpack("5.2/1", "Sends a Huffman-encoded string literal representation with padding longer than 7 bits",
                        DECODING_ERROR, getWithin(NONE, bytes(0x00, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x84, 0x49, 0x50, 0x9f, 0xff))),
                hpack("5.2/2", "Sends a Huffman-encoded string literal representation padded by zero", DECODING_ERROR,
                        getWithin(NONE, bytes(0x00, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x83, 0x49, 0x50, 0x90))),
                hpack("5.2/3", "Sends a Huffman-encoded string literal representation containing the EOS symbol", DECODING_ERROR,
                        getWithin(NONE, bytes(0x00, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x87, 0x49, 0x51, 0xff, 0xff, 0xff, 0xfa, 0x7f))),

                // ---- 6.1 Indexed Header Field Representation
                hpack("6.1/1", "Sends a indexed header field representation with index 0", DECODING_ERROR, getWithin(NONE, bytes(0x80))),

                // ---- 6.3 Dynamic Table Size Update
                hpack("6.3/1", "Sends a dynamic table size update larger than the value of SETTINGS_HEADER_TABLE_SIZE", DECODING_ERROR,
                        peer -> getWithin(tableSizeUpdate(peer.serverSettings().headerTableSize() + 1), NONE).run(peer)));
    }
}
