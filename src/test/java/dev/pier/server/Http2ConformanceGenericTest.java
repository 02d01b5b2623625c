package dev.pier.server;

import static dev.pier.server.H2Spec.ascii;
import static dev.pier.server.H2Spec.bytes;
import static dev.pier.server.H2Spec.concat;
import static dev.pier.server.H2Spec.first;
import static dev.pier.server.H2Spec.headers;
import static dev.pier.server.H2Spec.pingAck;
import static dev.pier.server.H2Spec.post;
import static dev.pier.server.H2Spec.request;
import static dev.pier.server.H2Spec.settingsAck;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http2.ErrorCode;
import dev.pier.http2.Flags;
import dev.pier.http2.FrameType;
import dev.pier.http2.Http2Settings;
import dev.pier.test.H2Frame;
import dev.pier.test.H2Peer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * h2spec's "generic" cases: what a server must accept, frame by frame, exchange by exchange,
 * and each HPACK representation, each answered rather than refused.
 */
@Timeout(20)
class Http2ConformanceGenericTest {

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

    private static Http2Settings.Setting setting(int identifier, long value) {
        return new Http2Settings.Setting(identifier, value);
    }

    /** Sends a GET whose header block ends with this representation, and expects the response's HEADERS. */
    private static void answered(byte[] representation) throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeadersBlock(1, true, true, concat(peer.encodeBlock(request("GET")), representation));
            headers(peer, 1);
        }
    }

    // ---- 1 Starting HTTP/2

    @Test
    void whenTheClientSendsItsPrefaceThenTheFirstFrameIsTheServersSettings() throws IOException {
        try (H2Peer peer = H2Peer.raw(server.port())) {
            peer.sendPreface().sendSettings(setting(Http2Settings.INITIAL_WINDOW_SIZE, 65_535));
            assertThat(peer.next(H2Spec.WAIT))
                    .isInstanceOfSatisfying(H2Frame.Settings.class, settings -> assertThat(settings.ack()).isFalse());
        }
    }

    // ---- 2 Streams and Multiplexing

    @Test
    void whenPriorityComesOnAnIdleStreamThenItIsAccepted() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendPriority(1, 0, 256);
            peer.sendPing(0);
            pingAck(peer, 0);
        }
    }

    @Test
    void whenWindowUpdateComesOnAHalfClosedRemoteStreamThenItIsAccepted() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendSettings(setting(Http2Settings.INITIAL_WINDOW_SIZE, 0));
            peer.sendHeaders(1, true, request("GET"));
            peer.sendWindowUpdate(1, 1);
            first(peer, H2Frame.Data.class);
        }
    }

    @Test
    void whenPriorityComesOnAHalfClosedRemoteStreamThenItIsAccepted() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendSettings(setting(Http2Settings.INITIAL_WINDOW_SIZE, 0));
            peer.sendHeaders(1, true, request("GET"));
            peer.sendPriority(1, 0, 256);
            peer.sendWindowUpdate(1, 1);
            first(peer, H2Frame.Data.class);
        }
    }

    @Test
    void whenRstStreamComesOnAHalfClosedRemoteStreamThenItIsAccepted() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, true, request("GET"));
            peer.sendRstStream(1, ErrorCode.CANCEL);
            peer.sendPing(0);
            pingAck(peer, 0);
        }
    }

    @Test
    void whenPriorityComesOnAClosedStreamThenItIsAccepted() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, true, request("GET"));
            H2Spec.streamClose(peer, 1);
            peer.sendPriority(1, 0, 256);
            peer.sendPing(0);
            pingAck(peer, 0);
        }
    }

    // ---- 3.1 DATA

    @Test
    void whenARequestHasADataFrameThenItIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, post());
            peer.sendData(1, ascii("test"), true);
            assertThat(peer.response(1, H2Spec.WAIT).bodyText()).isEqualTo("test");
        }
    }

    @Test
    void whenARequestHasSeveralDataFramesThenItIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, post());
            peer.sendData(1, ascii("test"), false);
            peer.sendData(1, ascii("test"), true);
            assertThat(peer.response(1, H2Spec.WAIT).bodyText()).isEqualTo("testtest");
        }
    }

    @Test
    void whenADataFrameIsPaddedThenTheRequestIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, post());
            peer.sendData(1, ascii("test"), true, 5);
            assertThat(peer.response(1, H2Spec.WAIT).bodyText()).isEqualTo("test");
        }
    }

    // ---- 3.2 HEADERS

    @Test
    void whenARequestHasAHeadersFrameThenItIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, true, request("GET"));
            headers(peer, 1);
        }
    }

    @Test
    void whenAHeadersFrameIsPaddedThenTheRequestIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            byte[] block = peer.encodeBlock(request("GET"));
            peer.sendFrame(FrameType.HEADERS.code(), Flags.END_STREAM | Flags.END_HEADERS | Flags.PADDED, 1,
                    concat(bytes(8), block, new byte[8]));
            headers(peer, 1);
        }
    }

    @Test
    void whenAHeadersFrameHasPriorityThenTheRequestIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            byte[] block = peer.encodeBlock(request("GET"));
            peer.sendFrame(FrameType.HEADERS.code(), Flags.END_STREAM | Flags.END_HEADERS | Flags.PRIORITY, 1,
                    concat(bytes(0, 0, 0, 0, 255), block));
            headers(peer, 1);
        }
    }

    // ---- 3.3 PRIORITY

    @Test
    void whenPriorityHasTheLowestWeightThenTheRequestIsAnswered() throws IOException {
        priorityThenRequest(1, 0, false, 1);
    }

    @Test
    void whenPriorityHasTheHighestWeightThenTheRequestIsAnswered() throws IOException {
        priorityThenRequest(1, 0, false, 256);
    }

    @Test
    void whenPriorityHasAStreamDependencyThenTheRequestIsAnswered() throws IOException {
        priorityThenRequest(3, 1, false, 1);
    }

    @Test
    void whenPriorityIsExclusiveThenTheRequestIsAnswered() throws IOException {
        priorityThenRequest(1, 0, true, 1);
    }

    @Test
    void whenPriorityComesForAnIdleStreamThenAStreamOfALowerIdIsStillAnswered() throws IOException {
        priorityThenRequest(3, 0, false, 256);
    }

    /** A PRIORITY frame, then a GET on stream 1, whose HEADERS must come. */
    private static void priorityThenRequest(int streamId, int dependency, boolean exclusive, int weight) throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendPriority(streamId, dependency, exclusive, weight);
            peer.sendHeaders(1, true, request("GET"));
            headers(peer, 1);
        }
    }

    // ---- 3.4 RST_STREAM

    @Test
    void whenTheClientResetsAStreamThenTheConnectionGoesOn() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, request("GET"));
            peer.sendRstStream(1, ErrorCode.CANCEL);
            peer.sendPing(0);
            pingAck(peer, 0);
        }
    }

    // ---- 3.5 SETTINGS

    @Test
    void whenSettingsOfEveryKindComeThenTheyAreAcknowledged() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendSettings(setting(Http2Settings.HEADER_TABLE_SIZE, 4096), setting(Http2Settings.ENABLE_PUSH, 1),
                    setting(Http2Settings.MAX_CONCURRENT_STREAMS, 100), setting(Http2Settings.INITIAL_WINDOW_SIZE, 65_535),
                    setting(Http2Settings.MAX_FRAME_SIZE, 16_384), setting(Http2Settings.MAX_HEADER_LIST_SIZE, 100));
            settingsAck(peer);
        }
    }

    // ---- 3.7 PING

    @Test
    void whenAPingComesThenItIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            long data = H2Spec.pingData("h2spec");
            peer.sendPing(data);
            pingAck(peer, data);
        }
    }

    // ---- 3.8 GOAWAY

    @Test
    void whenTheClientGoesAwayThenThePingIsAnsweredOrTheConnectionCloses() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendGoAway(0, ErrorCode.NO_ERROR, "h2spec");
            long data = H2Spec.pingData("h2spec");
            peer.sendPing(data);
            H2Spec.pingAckOrClose(peer, data);
        }
    }

    // ---- 3.9 WINDOW_UPDATE

    @Test
    void whenTheConnectionWindowGrowsThenTheConnectionGoesOn() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendWindowUpdate(0, 1);
            peer.sendPing(0);
            pingAck(peer, 0);
        }
    }

    @Test
    void whenAStreamWindowGrowsThenTheRequestIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, true, request("GET"));
            peer.sendWindowUpdate(1, 1);
            headers(peer, 1);
        }
    }

    // ---- 3.10 CONTINUATION

    @Test
    void whenAHeaderBlockTakesAContinuationThenTheRequestIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            byte[] block = peer.encodeBlock(request("GET"));
            peer.sendHeadersBlock(1, true, false, Arrays.copyOfRange(block, 0, 5));
            peer.sendContinuation(1, true, Arrays.copyOfRange(block, 5, block.length));
            headers(peer, 1);
        }
    }

    @Test
    void whenAHeaderBlockTakesSeveralContinuationsThenTheRequestIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            byte[] block = peer.encodeBlock(request("GET"));
            peer.sendHeadersBlock(1, true, false, Arrays.copyOfRange(block, 0, 5));
            peer.sendContinuation(1, false, Arrays.copyOfRange(block, 5, 10));
            peer.sendContinuation(1, true, Arrays.copyOfRange(block, 10, block.length));
            headers(peer, 1);
        }
    }

    // ---- 4 HTTP Message Exchanges

    @Test
    void whenTheClientSendsAGetThenItIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, true, request("GET"));
            H2Peer.Response response = peer.response(1, H2Spec.WAIT);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(H2Spec.INDEX);
        }
    }

    @Test
    void whenTheClientSendsAHeadThenItIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, true, request("HEAD"));
            H2Peer.Response response = peer.response(1, H2Spec.WAIT);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEmpty();
        }
    }

    @Test
    void whenTheClientSendsAPostThenItIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, post());
            peer.sendData(1, ascii("test"), true);
            H2Peer.Response response = peer.response(1, H2Spec.WAIT);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("test");
        }
    }

    @Test
    void whenTheClientSendsAPostWithTrailersThenItIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeaders(1, false, post("trailer", "x-test"));
            peer.sendData(1, ascii("test"), false);
            peer.sendHeaders(1, true, "x-test", "ok");
            H2Peer.Response response = peer.response(1, H2Spec.WAIT);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("test");
        }
    }

    // ---- 5 HPACK: each representation of RFC 7541 §6 after a valid block, the octets and names h2spec gives them

    @Test
    void whenAnIndexedFieldComesThenTheRequestIsAnswered() throws IOException {
        answered(bytes(0xba)); // user-agent, empty
    }

    @Test
    void whenALiteralWithIndexingAndIndexedNameComesThenTheRequestIsAnswered() throws IOException {
        answered(bytes(0x40, 0x87, 0xb5, 0x05, 0xb1, 0x61, 0xcc, 0x5a, 0x93, 0x84, 0x9c, 0x48, 0xac, 0xa4));
    }

    @Test
    void whenALiteralWithIndexingAndIndexedNameComesHuffmanCodedThenTheRequestIsAnswered() throws IOException {
        answered(concat(bytes(0x40, 0x0a), ascii("user-agent"), bytes(0x06), ascii("h2spec")));
    }

    @Test
    void whenALiteralWithIndexingAndANewNameComesThenTheRequestIsAnswered() throws IOException {
        answered(concat(bytes(0x40, 0x06), ascii("x-test"), bytes(0x06), ascii("h2spec")));
    }

    @Test
    void whenALiteralWithIndexingAndANewNameComesHuffmanCodedThenTheRequestIsAnswered() throws IOException {
        answered(bytes(0x40, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x84, 0x9c, 0x48, 0xac, 0xa4));
    }

    @Test
    void whenALiteralWithoutIndexingAndIndexedNameComesThenTheRequestIsAnswered() throws IOException {
        answered(concat(bytes(0x00, 0x0a), ascii("user-agent"), bytes(0x06), ascii("h2spec")));
    }

    @Test
    void whenALiteralWithoutIndexingAndIndexedNameComesHuffmanCodedThenTheRequestIsAnswered() throws IOException {
        answered(bytes(0x00, 0x87, 0xb5, 0x05, 0xb1, 0x61, 0xcc, 0x5a, 0x93, 0x84, 0x9c, 0x48, 0xac, 0xa4));
    }

    @Test
    void whenALiteralWithoutIndexingAndANewNameComesThenTheRequestIsAnswered() throws IOException {
        answered(concat(bytes(0x00, 0x06), ascii("x-test"), bytes(0x06), ascii("h2spec")));
    }

    @Test
    void whenALiteralWithoutIndexingAndANewNameComesHuffmanCodedThenTheRequestIsAnswered() throws IOException {
        answered(bytes(0x00, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x84, 0x9c, 0x48, 0xac, 0xa4));
    }

    @Test
    void whenALiteralNeverIndexedWithIndexedNameComesThenTheRequestIsAnswered() throws IOException {
        answered(concat(bytes(0x10, 0x0a), ascii("user-agent"), bytes(0x06), ascii("h2spec")));
    }

    @Test
    void whenALiteralNeverIndexedWithIndexedNameComesHuffmanCodedThenTheRequestIsAnswered() throws IOException {
        answered(bytes(0x10, 0x87, 0xb5, 0x05, 0xb1, 0x61, 0xcc, 0x5a, 0x93, 0x84, 0x9c, 0x48, 0xac, 0xa4));
    }

    @Test
    void whenALiteralNeverIndexedWithANewNameComesThenTheRequestIsAnswered() throws IOException {
        // h2spec sends the Huffman-coded form here too.
        answered(bytes(0x10, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x84, 0x9c, 0x48, 0xac, 0xa4));
    }

    @Test
    void whenALiteralNeverIndexedWithANewNameComesHuffmanCodedThenTheRequestIsAnswered() throws IOException {
        answered(bytes(0x10, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x84, 0x9c, 0x48, 0xac, 0xa4));
    }

    @Test
    void whenATableSizeUpdateComesThenTheRequestIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeadersBlock(1, true, true, concat(H2Spec.tableSizeUpdate(128), peer.encodeBlock(request("GET"))));
            headers(peer, 1);
        }
    }

    @Test
    void whenTwoTableSizeUpdatesComeThenTheRequestIsAnswered() throws IOException {
        try (H2Peer peer = handshake()) {
            peer.sendHeadersBlock(1, true, true, concat(H2Spec.tableSizeUpdate(128), H2Spec.tableSizeUpdate(4096),
                    peer.encodeBlock(request("GET"))));
            headers(peer, 1);
        }
    }
}
