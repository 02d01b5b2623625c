package dev.pier.server;

import static dev.pier.http2.ErrorCode.CANCEL;
import static dev.pier.http2.ErrorCode.NO_ERROR;
import static dev.pier.http2.Http2Settings.ENABLE_PUSH;
import static dev.pier.http2.Http2Settings.HEADER_TABLE_SIZE;
import static dev.pier.http2.Http2Settings.INITIAL_WINDOW_SIZE;
import static dev.pier.http2.Http2Settings.MAX_CONCURRENT_STREAMS;
import static dev.pier.http2.Http2Settings.MAX_FRAME_SIZE;
import static dev.pier.http2.Http2Settings.MAX_HEADER_LIST_SIZE;
import static dev.pier.test.Octets.ascii;
import static dev.pier.test.Octets.bytes;
import static dev.pier.test.Octets.concat;

import dev.pier.http2.Flags;
import dev.pier.http2.FrameType;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * h2spec's "generic" cases: what a server must accept, frame by frame, exchange by exchange,
 * and each HPACK representation, each answered rather than refused.
 */
class Http2ConformanceGenericTest extends H2Spec {

    /** user-agent: h2spec, name and value Huffman-coded, as h2spec has them after a representation's first octet. */
    private static final int[] USER_AGENT_HUFFMAN = {0x87, 0xb5, 0x05, 0xb1, 0x61, 0xcc, 0x5a, 0x93, 0x84, 0x9c, 0x48, 0xac, 0xa4};

    /** x-test: h2spec, name and value Huffman-coded, as h2spec has them after a representation's first octet. */
    private static final int[] X_TEST_HUFFMAN = {0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x84, 0x9c, 0x48, 0xac, 0xa4};

    private static final int PADDED_HEADERS = Flags.END_STREAM | Flags.END_HEADERS | Flags.PADDED;

    private static final int PRIORITIZED_HEADERS = Flags.END_STREAM | Flags.END_HEADERS | Flags.PRIORITY;

    @Override
    Stream<Case> cases() {
        return Stream.of(
                // ---- 1 Starting HTTP/2
                generic("1/1", "Sends a client connection preface", settingsFirst(), H2Spec::sendClientPreface).withoutHandshake(),

                // ---- 2 Streams and Multiplexing
                generic("2/1", "Sends a PRIORITY frame on idle stream", goesOn(), peer -> peer.sendPriority(1, 0, 256)),
                generic("2/2", "Sends a WINDOW_UPDATE frame on half-closed (remote) stream", data(),
                        peer -> peer.sendSettings(setting(INITIAL_WINDOW_SIZE, 0)).sendHeaders(1, true, request("GET"))
                                .sendWindowUpdate(1, 1)),
                generic("2/3", "Sends a PRIORITY frame on half-closed (remote) stream", data(),
                        peer -> peer.sendSettings(setting(INITIAL_WINDOW_SIZE, 0)).sendHeaders(1, true, request("GET"))
                                .sendPriority(1, 0, 256).sendWindowUpdate(1, 1)),
                generic("2/4", "Sends a RST_STREAM frame on half-closed (remote) stream", goesOn(),
                        peer -> peer.sendHeaders(1, true, request("GET")).sendRstStream(1, CANCEL)),
                generic("2/5", "Sends a PRIORITY frame on closed stream", goesOn(), peer -> {
                    peer.sendHeaders(1, true, request("GET"));
                    streamClose(peer, 1);
                    peer.sendPriority(1, 0, 256);
                }),

                // ---- 3.1 DATA
                generic("3.1/1", "Sends a DATA frame", response(200, "test"),
                        peer -> peer.sendHeaders(1, false, post()).sendData(1, ascii("test"), true)),
                generic("3.1/2", "Sends multiple DATA frames", response(200, "testtest"),
                        peer -> peer.sendHeaders(1, false, post()).sendData(1, ascii("test"), false).sendData(1, ascii("test"), true)),
                generic("3.1/3", "Sends a DATA frame with padding", response(200, "test"),
                        peer -> peer.sendHeaders(1, false, post()).sendData(1, ascii("test"), true, 5)),

                // ---- 3.2 HEADERS
                generic("3.2/1", "Sends a HEADERS frame", answered(), peer -> peer.sendHeaders(1, true, request("GET"))),
                generic("3.2/2", "Sends a HEADERS frame with padding", answered(), peer -> peer.sendFrame(FrameType.HEADERS.code(),
                        PADDED_HEADERS, 1, concat(bytes(8), peer.encodeBlock(request("GET")), new byte[8]))),
                generic("3.2/3", "Sends a HEADERS frame with priority", answered(), peer -> peer.sendFrame(FrameType.HEADERS.code(),
                        PRIORITIZED_HEADERS, 1, concat(bytes(0, 0, 0, 0, 255), peer.encodeBlock(request("GET"))))),

                // ---- 3.3 PRIORITY
                generic("3.3/1", "Sends a PRIORITY frame with priority 1", answered(), priorityThenGet(1, 0, false, 1)),
                generic("3.3/2", "Sends a PRIORITY frame with priority 256", answered(), priorityThenGet(1, 0, false, 256)),
                generic("3.3/3", "Sends a PRIORITY frame with stream dependency", answered(), priorityThenGet(3, 1, false, 1)),
                generic("3.3/4", "Sends a PRIORITY frame with exclusive", answered(), priorityThenGet(1, 0, true, 1)),
                generic("3.3/5", "Sends a PRIORITY frame for an idle stream, then send a HEADER frame for a lower stream ID", answered(),
                        priorityThenGet(3, 0, false, 256)),

                // ---- 3.4 RST_STREAM
                generic("3.4/1", "Sends a RST_STREAM frame", goesOn(),
                        peer -> peer.sendHeaders(1, false, request("GET")).sendRstStream(1, CANCEL)),

                // ---- 3.5 SETTINGS
                generic("3.5/1", "Sends a SETTINGS frame", settingsAcknowledged(),
                        peer -> peer.sendSettings(setting(HEADER_TABLE_SIZE, 4096), setting(ENABLE_PUSH, 1),
                                setting(MAX_CONCURRENT_STREAMS, 100), setting(INITIAL_WINDOW_SIZE, 65_535),
                                setting(MAX_FRAME_SIZE, 16_384), setting(MAX_HEADER_LIST_SIZE, 100))),

                // ---- 3.7 PING
                generic("3.7/1", "Sends a PING frame", pingAnswered(H2SPEC_PING), peer -> peer.sendPing(H2SPEC_PING)),

                // ---- 3.8 GOAWAY
                generic("3.8/1", "Sends a GOAWAY frame", pingAnsweredOrClose(H2SPEC_PING),
                        peer -> peer.sendGoAway(0, NO_ERROR, "h2spec").sendPing(H2SPEC_PING)),

                // ---- 3.9 WINDOW_UPDATE
                generic("3.9/1", "Sends a WINDOW_UPDATE frame with stream ID 0", goesOn(), peer -> peer.sendWindowUpdate(0, 1)),
                generic("3.9/2", "Sends a WINDOW_UPDATE frame with arbitrary stream ID", answered(),
                        peer -> peer.sendHeaders(1, true, request("GET")).sendWindowUpdate(1, 1)),

                // ---- 3.10 CONTINUATION: h2spec's request fields cut after octet 5, and 10
                generic("3.10/1", "Sends a CONTINUATION frame", answered(), peer -> {
                    byte[] block = peer.encodeBlock(request("GET"));
                    peer.sendHeadersBlock(1, true, false, Arrays.copyOfRange(block, 0, 5))
                            .sendContinuation(1, true, Arrays.copyOfRange(block, 5, block.length));
                }),
                generic("3.10/2", "Sends multiple CONTINUATION frames", answered(), peer -> {
                    byte[] block = peer.encodeBlock(request("GET"));
                    peer.sendHeadersBlock(1, true, false, Arrays.copyOfRange(block, 0, 5))
                            .sendContinuation(1, false, Arrays.copyOfRange(block, 5, 10))
                            .sendContinuation(1, true, Arrays.copyOfRange(block, 10, block.length));
                }),

                // ---- 4 HTTP Message Exchanges
                generic("4/1", "Sends a GET request", response(200, INDEX), peer -> peer.sendHeaders(1, true, request("GET"))),
                generic("4/2", "Sends a HEAD request", response(200, ""), peer -> peer.sendHeaders(1, true, request("HEAD"))),
                generic("4/3", "Sends a POST request", response(200, "test"),
                        peer -> peer.sendHeaders(1, false, post()).sendData(1, ascii("test"), true)),
                generic("4/4", "Sends a POST request with trailers", response(200, "test"),
                        peer -> peer.sendHeaders(1, false, post("trailer", "x-test")).sendData(1, ascii("test"), false)
                                .sendHeaders(1, true, "x-test", "ok")),

                // ---- 5 HPACK: each representation of RFC 7541 §6 after h2spec's request fields, with the octets h2spec
                // gives them under these descriptions (its "indexed name" and "new name" are not always what the octets are)
                generic("5/1", "Sends a indexed header field representation", answered(), getWithin(NONE, bytes(0xba))), // user-agent
                generic("5/2", "Sends a literal header field with incremental indexing - indexed name", answered(),
                        getWithin(NONE, representation(0x40, USER_AGENT_HUFFMAN))),
                generic("5/3", "Sends a literal header field with incremental indexing - indexed name (with Huffman coding)", answered(),
                        getWithin(NONE, literal(0x40, "user-agent"))),
                generic("5/4", "Sends a literal header field with incremental indexing - new name", answered(),
                        getWithin(NONE, literal(0x40, "x-test"))),
                generic("5/5", "Sends a literal header field with incremental indexing - new name (with Huffman coding)", answered(),
                        getWithin(NONE, representation(0x40, X_TEST_HUFFMAN))),
                generic("5/6", "Sends a literal header field without indexing - indexed name", answered(),
                        getWithin(NONE, literal(0x00, "user-agent"))),
                generic("5/7", "Sends a literal header field without indexing - indexed name (with Huffman coding)", answered(),
                        getWithin(NONE, representation(0x00, USER_AGENT_HUFFMAN))),
                generic("5/8", "Sends a literal header field without indexing - new name", answered(),
                        getWithin(NONE, literal(0x00, "x-test"))),
                generic("5/9", "Sends a literal header field without indexing - new name (huffman encoded)", answered(),
                        getWithin(NONE, representation(0x00, X_TEST_HUFFMAN))),
                generic("5/10", "Sends a literal header field never indexed - indexed name", answered(),
                        getWithin(NONE, literal(0x10, "user-agent"))),
                generic("5/11", "Sends a literal header field never indexed - indexed name (huffman encoded)", answered(),
                        getWithin(NONE, representation(0x10, USER_AGENT_HUFFMAN))),
                // h2spec sends the Huffman-coded form here too.
                generic("5/12", "Sends a literal header field never indexed - new name", answered(),
                        getWithin(NONE, representation(0x10, X_TEST_HUFFMAN))),
                generic("5/13", "Sends a literal header field never indexed - new name (huffman encoded)", answered(),
                        getWithin(NONE, representation(0x10, X_TEST_HUFFMAN))),
                generic("5/14", "Sends a dynamic table size update", answered(), getWithin(tableSizeUpdate(128), NONE)),
                generic("5/15", "Sends multiple dynamic table size update", answered(),
                        getWithin(concat(tableSizeUpdate(128), tableSizeUpdate(4096)), NONE)));
    }

    /** A PRIORITY frame, then a GET on stream 1. */
    private static Script priorityThenGet(int streamId, int dependency, boolean exclusive, int weight) {
        return peer -> peer.sendPriority(streamId, dependency, exclusive, weight).sendHeaders(1, true, request("GET"));
    }

    /** A representation: its first octet, then the rest as h2spec gives it. */
    private static byte[] representation(int first, int[] rest) {
        return concat(bytes(first), bytes(rest));
    }

    /** A literal representation of this first octet whose name is a literal, not Huffman-coded, and value "h2spec". */
    private static byte[] literal(int first, String name) {
        return concat(bytes(first, name.length()), ascii(name), bytes(6), ascii("h2spec"));
    }
}
