package dev.pier.server;

import static dev.pier.server.H2Spec.bytes;
import static dev.pier.server.H2Spec.concat;
import static dev.pier.server.H2Spec.connectionError;
import static dev.pier.server.H2Spec.request;

import dev.pier.http2.ErrorCode;
import dev.pier.test.H2Peer;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * h2spec's "hpack" cases, of RFC 7541: each decoding error in a request's header block is a
 * connection error of COMPRESSION_ERROR (RFC 9113 §4.3), as the tables can no longer be trusted.
 */
@Timeout(20)
class Http2ConformanceHpackTest {

    @TempDir
    static Path root;

    private static RunningServer server;

    @BeforeAll
    static void start() throws IOException {
        server = H2Spec.start(root);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A GET whose header block has these octets before and after a valid one. */
    private static void compressionError(byte[] before, byte[] after) throws IOException {
        try (H2Peer peer = H2Spec.handshake(server.port())) {
            peer.sendHeadersBlock(1, true, true, concat(before, peer.encodeBlock(request("GET")), after));
            connectionError(peer, ErrorCode.COMPRESSION_ERROR);
        }
    }

    // ---- 2.3.3 Index Address Space

    @Test
    void whenAnIndexedFieldIsBeyondBothTablesThenCompressionErrorClosesTheConnection() throws IOException {
        compressionError(new byte[0], bytes(0xc6)); // index 70
    }

    @Test
    void whenALiteralsNameIndexIsBeyondBothTablesThenCompressionErrorClosesTheConnection() throws IOException {
        compressionError(new byte[0], bytes(0x7f, 0x07, 0x00)); // with incremental indexing, name index 70, empty value
    }

    // ---- 4.2 Maximum Table Size

    @Test
    void whenATableSizeUpdateEndsTheBlockThenCompressionErrorClosesTheConnection() throws IOException {
        compressionError(new byte[0], bytes(0x21));
    }

    // ---- 5.2 String Literal Representation

    @Test
    void whenHuffmanPaddingIsLongerThanSevenBitsThenCompressionErrorClosesTheConnection() throws IOException {
        // x-test: test, with an extra octet of padding.
        compressionError(new byte[0], bytes(0x00, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x84, 0x49, 0x50, 0x9f, 0xff));
    }

    @Test
    void whenHuffmanPaddingIsZerosThenCompressionErrorClosesTheConnection() throws IOException {
        compressionError(new byte[0], bytes(0x00, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x83, 0x49, 0x50, 0x90));
    }

    @Test
    void whenAHuffmanStringContainsEndOfStringThenCompressionErrorClosesTheConnection() throws IOException {
        compressionError(new byte[0], bytes(0x00, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x87, 0x49, 0x51, 0xff, 0xff, 0xff, 0xfa, 0x7f));
    }

    // ---- 6.1 Indexed Header Field Representation

    @Test
    void whenAnIndexedFieldHasIndexZeroThenCompressionErrorClosesTheConnection() throws IOException {
        compressionError(new byte[0], bytes(0x80));
    }

    // ---- 6.3 Dynamic Table Size Update

    @Test
    void whenATableSizeUpdateExceedsTheAdvertisedSizeThenCompressionErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = H2Spec.handshake(server.port())) {
            byte[] update = H2Spec.tableSizeUpdate(peer.serverSettings().headerTableSize() + 1);
            peer.sendHeadersBlock(1, true, true, concat(update, peer.encodeBlock(request("GET"))));
            connectionError(peer, ErrorCode.COMPRESSION_ERROR);
        }
    }
}
