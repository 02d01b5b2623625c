package dev.pier.server;

import static dev.pier.http2.ErrorCode.PROTOCOL_ERROR;
import static dev.pier.test.Octets.ascii;
import static dev.pier.test.Octets.bytes;
import static dev.pier.test.Octets.concat;

import dev.pier.http2.Flags;
import dev.pier.http2.FrameType;
import java.util.stream.Stream;

/**
 * h2spec's "http2" cases of RFC 9113 §8 (its RFC 7540 §8.1 and §8.2): header blocks after the
 * request's, field names and pseudo-header fields, connection-specific fields, content-length,
 * and a client's PUSH_PROMISE. Each malformed request is a stream error of PROTOCOL_ERROR.
 */
class Http2ConformanceHttpTest extends H2Spec {

    /** A malformed request: a stream error of PROTOCOL_ERROR on stream 1 (RFC 9113 §8.1.1). */
    private static final Verdict MALFORMED = reset(1, PROTOCOL_ERROR);

    @Override
    Stream<Case> cases() {
        return Stream.of(
                // ---- 8.1 HTTP Request/Response Exchange
                http2("8.1/1", "Sends a second HEADERS frame without the END_STREAM flag", MALFORMED,
                        peer -> peer.sendHeaders(1, false, post()).sendData(1, ascii("test"), false).sendHeaders(1, false, "x-test", "ok")),

                // ---- 8.1.2 HTTP Header Fields
                http2("8.1.2/1", "Sends a HEADERS frame that contains the header field name in uppercase letters", MALFORMED,
                        requestOf(request("GET", "X-TEST", "ok"))),

                // ---- 8.1.2.1 Pseudo-Header Fields
                http2("8.1.2.1/1", "Sends a HEADERS frame that contains a unknown pseudo-header field", MALFORMED,
                        requestOf(request("GET", ":test", "ok"))),
                http2("8.1.2.1/2", "Sends a HEADERS frame that contains the pseudo-header field defined for response", MALFORMED,
                        requestOf(request("GET", ":status", "200"))),
                http2("8.1.2.1/3", "Sends a HEADERS frame that contains a pseudo-header field as trailers", MALFORMED,
                        peer -> peer.sendHeaders(1, false, post()).sendData(1, ascii("test"), false)
                                .sendHeaders(1, false, ":method", "POST")),
                http2("8.1.2.1/4", "Sends a HEADERS frame that contains a pseudo-header field that appears in a header block after"
                        + " a regular header field", MALFORMED, requestOf(append(new String[] {"x-test", "ok"}, request("GET")))),

                // ---- 8.1.2.2 Connection-Specific Header Fields
                http2("8.1.2.2/1", "Sends a HEADERS frame that contains the connection-specific header field", MALFORMED,
                        requestOf(request("GET", "connection", "keep-alive"))),
                http2("8.1.2.2/2", "Sends a HEADERS frame that contains the TE header field with any value other than \"trailers\"",
                        MALFORMED, requestOf(request("GET", "trailers", "test", "te", "trailers, deflate"))),

                // ---- 8.1.2.3 Request Pseudo-Header Fields
                http2("8.1.2.3/1", "Sends a HEADERS frame with empty \":path\" pseudo-header field", MALFORMED,
                        requestOf(":method", "GET", ":scheme", "http", ":path", "", ":authority", "localhost")),
                http2("8.1.2.3/2", "Sends a HEADERS frame that omits \":method\" pseudo-header field", MALFORMED,
                        requestOf(":scheme", "http", ":path", "/", ":authority", "localhost")),
                http2("8.1.2.3/3", "Sends a HEADERS frame that omits \":scheme\" pseudo-header field", MALFORMED,
                        requestOf(":method", "GET", ":path", "/", ":authority", "localhost")),
                http2("8.1.2.3/4", "Sends a HEADERS frame that omits \":path\" pseudo-header field", MALFORMED,
                        requestOf(":method", "GET", ":scheme", "http", ":authority", "localhost")),
                http2("8.1.2.3/5", "Sends a HEADERS frame with duplicated \":method\" pseudo-header field", MALFORMED,
                        requestOf(request("GET", ":method", "GET"))),
                http2("8.1.2.3/6", "Sends a HEADERS frame with duplicated \":scheme\" pseudo-header field", MALFORMED,
                        requestOf(request("GET", ":scheme", "http"))),
                http2("8.1.2.3/7", "Sends a HEADERS frame with duplicated \":path\" pseudo-header field", MALFORMED,
                        requestOf(request("GET", ":path", "/"))),

                // ---- 8.1.2.6 Malformed Requests and Responses
                http2("8.1.2.6/1", "Sends a HEADERS frame with the \"content-length\" header field which does not equal"
                        + " the DATA frame payload length", MALFORMED,
                        peer -> peer.sendHeaders(1, false, post("content-length", "1")).sendData(1, ascii("test"), true)),
                http2("8.1.2.6/2", "Sends a HEADERS frame with the \"content-length\" header field which does not equal"
                        + " the sum of the multiple DATA frames payload length", MALFORMED,
                        peer -> peer.sendHeaders(1, false, post("content-length", "1")).sendData(1, ascii("test"), false)
                                .sendData(1, ascii("test"), true)),

                // ---- 8.2 Server Push: a PUSH_PROMISE of stream 3 on stream 1
                http2("8.2/1", "Sends a PUSH_PROMISE frame", goAway(PROTOCOL_ERROR), peer -> peer.sendFrame(FrameType.PUSH_PROMISE.code(),
                        Flags.END_HEADERS, 1, concat(bytes(0, 0, 0, 3), peer.encodeBlock(request("GET"))))));
    }

    /** A request of these fields on stream 1, ending it. */
    private static Script requestOf(String... fields) {
        return peer -> peer.sendHeaders(1, true, fields);
    }
}
