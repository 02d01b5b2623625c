package dev.pier.server;

import static dev.pier.http2.ErrorCode.CANCEL;
import static dev.pier.http2.ErrorCode.COMPRESSION_ERROR;
import static dev.pier.http2.ErrorCode.FLOW_CONTROL_ERROR;
import static dev.pier.http2.ErrorCode.FRAME_SIZE_ERROR;
import static dev.pier.http2.ErrorCode.PROTOCOL_ERROR;
import static dev.pier.http2.ErrorCode.STREAM_CLOSED;
import static dev.pier.http2.Http2Settings.ENABLE_PUSH;
import static dev.pier.http2.Http2Settings.INITIAL_WINDOW_SIZE;
import static dev.pier.http2.Http2Settings.MAX_FRAME_SIZE;
import static dev.pier.test.Octets.ascii;
import static dev.pier.test.Octets.bytes;
import static dev.pier.test.Octets.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http2.ErrorCode;
import dev.pier.http2.Flags;
import dev.pier.http2.FrameType;
import dev.pier.http2.Http2Settings;
import dev.pier.test.H2Frame;
import dev.pier.test.H2Peer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * h2spec's "http2" cases of RFC 9113 §3.4 (the connection preface), §4 (frame format and size,
 * header blocks) and §6 (each frame type).
 */
class Http2ConformanceFramesTest extends H2Spec {

    private static final int PING = FrameType.PING.code();

    @Override
    Stream<Case> cases() {
        return Stream.of(
                // ---- 3.5 HTTP/2 Connection Preface (RFC 9113 §3.4)
                http2("3.5/1", "Sends client connection preface", settingsFirst(), H2Spec::sendClientPreface).withoutHandshake(),
                // On a cleartext port that also speaks HTTP/1.1 these bytes are an HTTP/1.1 request, answered 400 before
                // the close (RFC 9112 §3). h2spec reads that answer as a frame and fails the case (summerwind/h2spec#122);
                // over TLS, where ALPN chose h2, the session's GOAWAY(PROTOCOL_ERROR) and close pass it: Http2ConformanceTlsTest.
                http2("3.5/2", "Sends invalid connection preface", http11BadRequestThenClose(),
                        peer -> peer.sendRaw(ascii("INVALID CONNECTION PREFACE\r\n\r\n"))).withoutHandshake(),

                // ---- 4.1 Frame Format
                http2("4.1/1", "Sends a frame with unknown type", goesOn(), peer -> peer.sendFrame(UNKNOWN_FRAME_TYPE, 0, 0, new byte[8])),
                http2("4.1/2", "Sends a frame with undefined flag", pingAnswered(0), peer -> peer.sendFrame(PING, 0x16, 0, new byte[8])),
                http2("4.1/3", "Sends a frame with reserved field bit", pingAnswered(0),
                        peer -> peer.sendFrame(PING, 0x16, 0x8000_0000, new byte[8])),

                // ---- 4.2 Frame Size
                http2("4.2/1", "Sends a DATA frame with 2^14 octets in length", echoesMaxFrameSize(),
                        peer -> peer.sendHeaders(1, false, post()).sendData(1, maxFrameSizeOfX(peer), true)),
                http2("4.2/2", "Sends a large size DATA frame that exceeds the SETTINGS_MAX_FRAME_SIZE", reset(1, FRAME_SIZE_ERROR),
                        peer -> peer.sendHeaders(1, false, post()).sendData(1, new byte[peer.serverSettings().maxFrameSize() + 1], true)),
                http2("4.2/3", "Sends a large size HEADERS frame that exceeds the SETTINGS_MAX_FRAME_SIZE", goAway(FRAME_SIZE_ERROR),
                        peer -> peer.sendHeadersBlock(1, true, true, peer.encodeBlock(request("GET", dummyHeaders(5))))),

                // ---- 4.3 Header Compression and Decompression
                // A literal with incremental indexing that ends before its name.
                http2("4.3/1", "Sends invalid header block fragment", goAway(COMPRESSION_ERROR),
                        peer -> peer.sendFrame(FrameType.HEADERS.code(), Flags.END_STREAM | Flags.END_HEADERS, 1, bytes(0x40))),
                http2("4.3/2", "Sends a PRIORITY frame while sending the header blocks", goAway(PROTOCOL_ERROR),
                        Http2ConformanceFramesTest::sendPriorityInsideAHeaderBlock),
                http2("4.3/3", "Sends a HEADERS frame to another stream while sending the header blocks", goAway(PROTOCOL_ERROR),
                        Http2ConformanceFramesTest::sendHeadersOfStream3InsideAHeaderBlock),

                // ---- 6.1 DATA
                http2("6.1/1", "Sends a DATA frame with 0x0 stream identifier", goAway(PROTOCOL_ERROR),
                        peer -> peer.sendData(0, ascii("test"), true)),
                http2("6.1/2", "Sends a DATA frame on the stream that is not in \"open\" or \"half-closed (local)\" state",
                        reset(1, STREAM_CLOSED), peer -> peer.sendHeaders(1, true, post()).sendData(1, ascii("test"), true)),
                http2("6.1/3", "Sends a DATA frame with invalid pad length", goAway(PROTOCOL_ERROR),
                        peer -> peer.sendHeaders(1, false, post("content-length", "4"))
                                .sendFrame(FrameType.DATA.code(), Flags.PADDED | Flags.END_STREAM, 1, concat(bytes(6), ascii("Test")))),

                // ---- 6.2 HEADERS (its first two cases are 4.3's second and third again, as in h2spec)
                http2("6.2/1", "Sends a HEADERS frame without the END_HEADERS flag, and a PRIORITY frame", goAway(PROTOCOL_ERROR),
                        Http2ConformanceFramesTest::sendPriorityInsideAHeaderBlock),
                http2("6.2/2", "Sends a HEADERS frame to another stream while sending a HEADERS frame", goAway(PROTOCOL_ERROR),
                        Http2ConformanceFramesTest::sendHeadersOfStream3InsideAHeaderBlock),
                http2("6.2/3", "Sends a HEADERS frame with 0x0 stream identifier", goAway(PROTOCOL_ERROR),
                        peer -> peer.sendHeaders(0, true, request("GET"))),
                http2("6.2/4", "Sends a HEADERS frame with invalid pad length", reset(1, PROTOCOL_ERROR), peer -> {
                    byte[] block = peer.encodeBlock(request("GET"));
                    int flags = Flags.END_STREAM | Flags.END_HEADERS | Flags.PADDED;
                    peer.sendFrame(FrameType.HEADERS.code(), flags, 1, concat(bytes(block.length + 2), block));
                }),

                // ---- 6.3 PRIORITY
                http2("6.3/1", "Sends a PRIORITY frame with 0x0 stream identifier", goAway(PROTOCOL_ERROR),
                        peer -> peer.sendPriority(0, 0, 256)),
                http2("6.3/2", "Sends a PRIORITY frame with a length other than 5 octets", reset(1, FRAME_SIZE_ERROR),
                        peer -> peer.sendHeaders(1, true, request("GET")).sendFrame(FrameType.PRIORITY.code(), 0, 1, bytes(0x80, 0, 0, 1))),

                // ---- 6.4 RST_STREAM
                http2("6.4/1", "Sends a RST_STREAM frame with 0x0 stream identifier", goAway(PROTOCOL_ERROR),
                        peer -> peer.sendRstStream(0, CANCEL)),
                http2("6.4/2", "Sends a RST_STREAM frame on a idle stream", goAway(PROTOCOL_ERROR), peer -> peer.sendRstStream(1, CANCEL)),
                http2("6.4/3", "Sends a RST_STREAM frame with a length other than 4 octets", reset(1, FRAME_SIZE_ERROR),
                        peer -> peer.sendHeaders(1, true, request("GET")).sendFrame(FrameType.RST_STREAM.code(), 0, 1, new byte[3])),

                // ---- 6.5 SETTINGS
                http2("6.5/1", "Sends a SETTINGS frame with ACK flag and payload", goAway(FRAME_SIZE_ERROR),
                        peer -> peer.sendFrame(FrameType.SETTINGS.code(), Flags.ACK, 0, new byte[1])),
                http2("6.5/2", "Sends a SETTINGS frame with 0x1 stream identifier", goAway(PROTOCOL_ERROR),
                        peer -> peer.sendFrame(FrameType.SETTINGS.code(), 0, 1, bytes(0, 3, 0, 0, 0, 0x64))),
                // h2spec also takes PROTOCOL_ERROR; §6.5 names FRAME_SIZE_ERROR.
                http2("6.5/3", "Sends a SETTINGS frame with a length other than a multiple of 6 octets", goAway(FRAME_SIZE_ERROR),
                        peer -> peer.sendFrame(FrameType.SETTINGS.code(), 0, 0, bytes(0, 3, 0))),

                // ---- 6.5.2 Defined SETTINGS Parameters
                http2("6.5.2/1", "SETTINGS_ENABLE_PUSH (0x2): Sends the value other than 0 or 1", goAway(PROTOCOL_ERROR),
                        peer -> peer.sendSettings(setting(ENABLE_PUSH, 2))),
                http2("6.5.2/2", "SETTINGS_INITIAL_WINDOW_SIZE (0x4): Sends the value above the maximum flow control window size",
                        goAway(FLOW_CONTROL_ERROR), peer -> peer.sendSettings(setting(INITIAL_WINDOW_SIZE, 1L << 31))),
                http2("6.5.2/3", "SETTINGS_MAX_FRAME_SIZE (0x5): Sends the value below the initial value", goAway(PROTOCOL_ERROR),
                        peer -> peer.sendSettings(setting(MAX_FRAME_SIZE, 16_383))),
                http2("6.5.2/4", "SETTINGS_MAX_FRAME_SIZE (0x5): Sends the value above the maximum allowed frame size",
                        goAway(PROTOCOL_ERROR), peer -> peer.sendSettings(setting(MAX_FRAME_SIZE, 16_777_216))),
                http2("6.5.2/5", "Sends a SETTINGS frame with unknown identifier", goesOn(), peer -> peer.sendSettings(setting(0xff, 1))),

                // ---- 6.5.3 Settings Synchronization
                http2("6.5.3/1", "Sends multiple values of SETTINGS_INITIAL_WINDOW_SIZE", data(1),
                        peer -> getUnderWindowSettings(peer, setting(INITIAL_WINDOW_SIZE, 100), setting(INITIAL_WINDOW_SIZE, 1))),
                http2("6.5.3/2", "Sends a SETTINGS frame without ACK flag", settingsAcknowledged(),
                        peer -> peer.sendSettings(setting(ENABLE_PUSH, 0))),

                // ---- 6.7 PING
                http2("6.7/1", "Sends a PING frame", pingAnswered(H2SPEC_PING), peer -> peer.sendPing(H2SPEC_PING)),
                http2("6.7/2", "Sends a PING frame with ACK", pingAnswered(H2SPEC_PING),
                        peer -> peer.sendPing(pingData("invalid"), true).sendPing(H2SPEC_PING)),
                http2("6.7/3", "Sends a PING frame with a stream identifier field value other than 0x0", goAway(PROTOCOL_ERROR),
                        peer -> peer.sendFrame(PING, 0, 1, new byte[8])),
                http2("6.7/4", "Sends a PING frame with a length field value other than 8", goAway(FRAME_SIZE_ERROR),
                        peer -> peer.sendFrame(PING, 0, 0, new byte[6])),

                // ---- 6.8 GOAWAY
                http2("6.8/1", "Sends a GOAWAY frame with a stream identifier other than 0x0", goAway(PROTOCOL_ERROR),
                        peer -> peer.sendFrame(FrameType.GOAWAY.code(), 0, 1, new byte[8])),

                // ---- 6.9 WINDOW_UPDATE
                http2("6.9/1", "Sends a WINDOW_UPDATE frame with a flow control window increment of 0", goAway(PROTOCOL_ERROR),
                        peer -> peer.sendWindowUpdate(0, 0)),
                http2("6.9/2", "Sends a WINDOW_UPDATE frame with a flow control window increment of 0 on a stream",
                        reset(1, PROTOCOL_ERROR), peer -> peer.sendHeaders(1, false, request("GET")).sendWindowUpdate(1, 0)),
                http2("6.9/3", "Sends a WINDOW_UPDATE frame with a length other than 4 octets", goAway(FRAME_SIZE_ERROR),
                        peer -> peer.sendFrame(FrameType.WINDOW_UPDATE.code(), 0, 0, bytes(0, 0, 1))),

                // ---- 6.9.1 The Flow-Control Window
                http2("6.9.1/1", "Sends SETTINGS frame to set the initial window size to 1 and sends HEADERS frame", data(1),
                        peer -> getUnderWindowSettings(peer, setting(INITIAL_WINDOW_SIZE, 1))),
                http2("6.9.1/2", "Sends multiple WINDOW_UPDATE frames increasing the flow control window to above 2^31-1",
                        firstGoAway(FLOW_CONTROL_ERROR),
                        peer -> peer.sendWindowUpdate(0, Integer.MAX_VALUE).sendWindowUpdate(0, Integer.MAX_VALUE)),
                http2("6.9.1/3", "Sends multiple WINDOW_UPDATE frames increasing the flow control window to above 2^31-1 on a stream",
                        firstResetOfStream1(FLOW_CONTROL_ERROR), peer -> peer.sendHeaders(1, false, request("GET"))
                                .sendWindowUpdate(1, Integer.MAX_VALUE).sendWindowUpdate(1, Integer.MAX_VALUE)),

                // ---- 6.9.2 Initial Flow-Control Window Size
                http2("6.9.2/1", "Changes SETTINGS_INITIAL_WINDOW_SIZE after sending HEADERS frame", data(1), peer -> {
                    getUnderWindowSettings(peer, setting(INITIAL_WINDOW_SIZE, 0));
                    peer.sendSettings(setting(INITIAL_WINDOW_SIZE, 1));
                }),
                http2("6.9.2/2", "Sends a SETTINGS frame for window size to be negative", data(1), peer -> {
                    getUnderWindowSettings(peer, setting(INITIAL_WINDOW_SIZE, 3));
                    first(peer, H2Frame.Data.class);
                    peer.sendSettings(setting(INITIAL_WINDOW_SIZE, 2));
                    settingsAck(peer);
                    peer.sendWindowUpdate(1, 2);
                }),
                http2("6.9.2/3", "Sends a SETTINGS_INITIAL_WINDOW_SIZE settings with an exceeded maximum window size value",
                        goAway(FLOW_CONTROL_ERROR), peer -> peer.sendFrame(FrameType.SETTINGS.code(), 0, 0, bytes(0, 4, 0x80, 0, 0, 0))),

                // ---- 6.10 CONTINUATION
                http2("6.10/1", "Sends multiple CONTINUATION frames preceded by a HEADERS frame", answered(), peer -> {
                    peer.sendHeadersBlock(1, true, false, peer.encodeBlock(request("GET")));
                    sendDummyContinuation(peer, 1, false);
                    sendDummyContinuation(peer, 1, true);
                }),
                http2("6.10/2", "Sends a CONTINUATION frame followed by any frame other than CONTINUATION", goAway(PROTOCOL_ERROR),
                        peer -> sendDummyContinuation(peer.sendHeadersBlock(1, false, false, peer.encodeBlock(post())), 1, false)
                                .sendData(1, ascii("test"), true)),
                http2("6.10/3", "Sends a CONTINUATION frame with 0x0 stream identifier", goAway(PROTOCOL_ERROR),
                        peer -> sendDummyContinuation(peer.sendHeadersBlock(1, true, false, peer.encodeBlock(request("GET"))), 0, true)),
                http2("6.10/4", "Sends a CONTINUATION frame preceded by a HEADERS frame with END_HEADERS flag", goAway(PROTOCOL_ERROR),
                        peer -> sendDummyContinuation(peer.sendHeadersBlock(1, true, true, peer.encodeBlock(request("GET"))), 1, true)),
                http2("6.10/5", "Sends a CONTINUATION frame preceded by a CONTINUATION frame with END_HEADERS flag",
                        goAway(PROTOCOL_ERROR), peer -> {
                            peer.sendHeadersBlock(1, true, false, peer.encodeBlock(request("GET")));
                            sendDummyContinuation(peer, 1, true);
                            sendDummyContinuation(peer, 1, true);
                        }),
                http2("6.10/6", "Sends a CONTINUATION frame preceded by a DATA frame", goAway(PROTOCOL_ERROR), peer -> {
                    peer.sendHeadersBlock(1, false, false, peer.encodeBlock(post())).sendData(1, ascii("test"), true);
                    sendDummyContinuation(peer, 1, false);
                    sendDummyContinuation(peer, 0, true);
                }));
    }

    /** A header block on stream 1 interrupted by a PRIORITY frame, then its CONTINUATION. */
    private static void sendPriorityInsideAHeaderBlock(H2Peer peer) throws IOException {
        peer.sendHeadersBlock(1, false, false, peer.encodeBlock(request("GET"))).sendPriority(1, 0, 256);
        sendDummyContinuation(peer, 1, true);
    }

    /** A header block on stream 1 interrupted by a whole one on stream 3, then its CONTINUATION. */
    private static void sendHeadersOfStream3InsideAHeaderBlock(H2Peer peer) throws IOException {
        peer.sendHeadersBlock(1, false, false, peer.encodeBlock(request("GET")))
                .sendHeadersBlock(3, true, true, peer.encodeBlock(request("GET")));
        sendDummyContinuation(peer, 1, true);
    }

    /**
     * Turns off the peer's WINDOW_UPDATEs, sends these settings and waits for their ACK, then a GET
     * on stream 1, whose DATA the windows now hold back.
     */
    private static void getUnderWindowSettings(H2Peer peer, Http2Settings.Setting... settings) throws IOException {
        peer.autoWindowUpdate(false).sendSettings(settings);
        settingsAck(peer);
        peer.sendHeaders(1, true, request("GET"));
    }

    /** A body of x's as long as the server's largest frame. */
    private static byte[] maxFrameSizeOfX(H2Peer peer) {
        byte[] body = new byte[peer.serverSettings().maxFrameSize()];
        Arrays.fill(body, (byte) 'x');
        return body;
    }

    /** The POST of {@link #maxFrameSizeOfX} is answered 200 with that body. */
    private static Verdict echoesMaxFrameSize() {
        return new Verdict("200 with its body", peer -> {
            H2Peer.Response response = peer.response(1, WAIT);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(maxFrameSizeOfX(peer));
        });
    }

    /** The first RST_STREAM is of stream 1, with this code. */
    private static Verdict firstResetOfStream1(ErrorCode code) {
        return new Verdict("RST_STREAM " + code, peer -> assertThat(first(peer, H2Frame.RstStream.class))
                .isEqualTo(new H2Frame.RstStream(1, code.code())));
    }

    /** The 400 of an HTTP/1.1 server, then an orderly close. */
    private static Verdict http11BadRequestThenClose() {
        return new Verdict("HTTP/1.1 400, then close", peer -> {
            connectionClose(peer);
            assertThat(new String(peer.received(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 400 ");
        });
    }
}
