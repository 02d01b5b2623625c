package dev.pier.server;

import static dev.pier.server.H2Spec.ascii;
import static dev.pier.server.H2Spec.bytes;
import static dev.pier.server.H2Spec.concat;
import static dev.pier.server.H2Spec.connectionError;
import static dev.pier.server.H2Spec.post;
import static dev.pier.server.H2Spec.request;
import static dev.pier.server.H2Spec.streamError;

import dev.pier.http2.ErrorCode;
import dev.pier.http2.Flags;
import dev.pier.http2.FrameType;
import dev.pier.test.H2Peer;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * h2spec's "http2" cases of RFC 9113 §8 (its RFC 7540 §8.1 and §8.2): header blocks after the
 * request's, field names and pseudo-header fields, connection-specific fields, content-length,
 * and a client's PUSH_PROMISE. Each malformed request is a stream error of PROTOCOL_ERROR.
 */
@Timeout(20)
class Http2ConformanceHttpTest {

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

    private static H2Peer handshake() throws IOException {
        return H2Spec.handshake(server.port());
    }

    /** Sends a request of these fields, ending the stream, and expects it reset as malformed. */
    private static void malformed(String... fields) throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, true, fields);
            streamError(peer, 1, ErrorCode.PROTOCOL_ERROR);
        }
    }

    // ---- 8.1 HTTP Request/Response Exchange

    @Test
    void whenASecondHeaderBlockDoesNotEndTheStreamThenItIsAProtocolError() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, post());
            peer.sendData(1, ascii("test"), false);
            peer.sendHeaders(1, false, "x-test", "ok");
            streamError(peer, 1, ErrorCode.PROTOCOL_ERROR);
        }
    }

    // ---- 8.1.2 HTTP Header Fields

    @Test
    void whenAFieldNameHasUpperCaseLettersThenTheRequestIsMalformed() throws IOException {
        malformed(request("GET", "X-TEST", "ok"));
    }

    // ---- 8.1.2.1 Pseudo-Header Fields

    @Test
    void whenAPseudoHeaderFieldIsUnknownThenTheRequestIsMalformed() throws IOException {
        malformed(request("GET", ":test", "ok"));
    }

    @Test
    void whenAResponsePseudoHeaderFieldComesInARequestThenTheRequestIsMalformed() throws IOException {
        malformed(request("GET", ":status", "200"));
    }

    @Test
    void whenAPseudoHeaderFieldComesInTrailersThenTheRequestIsMalformed() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, post());
            peer.sendData(1, ascii("test"), false);
            peer.sendHeaders(1, false, ":method", "POST");
            streamError(peer, 1, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenAPseudoHeaderFieldFollowsARegularFieldThenTheRequestIsMalformed() throws IOException {
        malformed(concat(new String[] {"x-test", "ok"}, request("GET")));
    }

    // ---- 8.1.2.2 Connection-Specific Header Fields

    @Test
    void whenAConnectionSpecificFieldComesThenTheRequestIsMalformed() throws IOException {
        malformed(request("GET", "connection", "keep-alive"));
    }

    @Test
    void whenTeIsOtherThanTrailersThenTheRequestIsMalformed() throws IOException {
        malformed(request("GET", "trailers", "test", "te", "trailers, deflate"));
    }

    // ---- 8.1.2.3 Request Pseudo-Header Fields

    @Test
    void whenThePathIsEmptyThenTheRequestIsMalformed() throws IOException {
        malformed(":method", "GET", ":scheme", "http", ":path", "", ":authority", "localhost");
    }

    @Test
    void whenTheMethodIsMissingThenTheRequestIsMalformed() throws IOException {
        malformed(":scheme", "http", ":path", "/", ":authority", "localhost");
    }

    @Test
    void whenTheSchemeIsMissingThenTheRequestIsMalformed() throws IOException {
        malformed(":method", "GET", ":path", "/", ":authority", "localhost");
    }

    @Test
    void whenThePathIsMissingThenTheRequestIsMalformed() throws IOException {
        malformed(":method", "GET", ":scheme", "http", ":authority", "localhost");
    }

    @Test
    void whenTheMethodIsRepeatedThenTheRequestIsMalformed() throws IOException {
        malformed(request("GET", ":method", "GET"));
    }

    @Test
    void whenTheSchemeIsRepeatedThenTheRequestIsMalformed() throws IOException {
        malformed(request("GET", ":scheme", "http"));
    }

    @Test
    void whenThePathIsRepeatedThenTheRequestIsMalformed() throws IOException {
        malformed(request("GET", ":path", "/"));
    }

    // ---- 8.1.2.6 Malformed Requests and Responses

    @Test
    void whenTheDataIsLongerThanTheContentLengthThenTheRequestIsMalformed() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, post("content-length", "1"));
            peer.sendData(1, ascii("test"), true);
            streamError(peer, 1, ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void whenTheDataOfSeveralFramesIsLongerThanTheContentLengthThenTheRequestIsMalformed() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, post("content-length", "1"));
            peer.sendData(1, ascii("test"), false);
            peer.sendData(1, ascii("test"), true);
            streamError(peer, 1, ErrorCode.PROTOCOL_ERROR);
        }
    }

    // ---- 8.2 Server Push

    @Test
    void whenTheClientSendsPushPromiseThenProtocolErrorClosesTheConnection() throws IOException {
        try (H2Peer peer = handshake()) {
            byte[] promisedStream = bytes(0, 0, 0, 3);
            peer.sendFrame(FrameType.PUSH_PROMISE.code(), Flags.END_HEADERS, 1, concat(promisedStream, peer.encodeBlock(request("GET"))));
            connectionError(peer, ErrorCode.PROTOCOL_ERROR);
        }
    }
}
