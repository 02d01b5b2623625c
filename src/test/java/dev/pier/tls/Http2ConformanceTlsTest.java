package dev.pier.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http2.ErrorCode;
import dev.pier.http2.FrameType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The h2spec case that depends on the transport: an invalid connection preface (RFC 9113 §3.4),
 * run as {@code h2spec -t} runs it. Once ALPN chose h2 the bytes can only be HTTP/2, so they are
 * a connection error: GOAWAY(PROTOCOL_ERROR), then an orderly close. On a cleartext port, see
 * {@code Http2ConformanceFramesTest}.
 */
@Timeout(20)
class Http2ConformanceTlsTest {

    @TempDir
    Path site;

    @Test
    void whenThePrefaceIsInvalidOverH2ThenGoAwayWithProtocolErrorComesBeforeAnOrderlyClose() throws IOException {
        try (TlsServer server = TlsServer.start(site); SSLSocket socket = server.connect(null, "h2")) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
            OutputStream out = socket.getOutputStream();
            out.write("INVALID CONNECTION PREFACE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteBuffer frames = ByteBuffer.wrap(socket.getInputStream().readAllBytes()); // to the close; a reset throws

            List<ErrorCode> goAways = new ArrayList<>();
            while (frames.remaining() >= 9) {
                int length = (frames.get() & 0xff) << 16 | (frames.get() & 0xff) << 8 | frames.get() & 0xff;
                int type = frames.get() & 0xff;
                frames.position(frames.position() + 5); // flags, stream id
                if (type == FrameType.GOAWAY.code()) {
                    goAways.add(ErrorCode.of(frames.getInt(frames.position() + 4) & 0xffff_ffffL));
                }
                frames.position(frames.position() + length);
            }
            assertThat(frames.hasRemaining()).as("whole frames only").isFalse();
            assertThat(goAways).containsExactly(ErrorCode.PROTOCOL_ERROR);
        }
    }
}
