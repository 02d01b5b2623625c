package dev.pier.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A TLS client that sees the records themselves: an {@link SSLEngine} over a blocking socket. The
 * JDK's {@code SSLSocket} reports the end of a stream the same way whether or not the server said
 * {@code close_notify}; this client tells the two apart.
 */
final class EngineClient implements AutoCloseable {

    /** What came back: the decrypted bytes, and whether the server ended with close_notify before its stream ended. */
    record Received(String text, boolean closeNotify) {
    }

    private final Socket socket;
    private final SSLEngine engine;
    private final InputStream in;
    private final OutputStream out;
    private ByteBuffer netIn;

    EngineClient(SSLContext context, int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(5_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        engine = context.createSSLEngine("127.0.0.1", port);
        engine.setUseClientMode(true);
        netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize()).flip();
        handshake();
    }

    private void handshake() throws IOException {
        engine.beginHandshake();
        ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> wrap(ByteBuffer.allocate(0));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrap(app);
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    void send(String text) throws IOException {
        ByteBuffer plain = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (plain.hasRemaining()) {
            wrap(plain);
        }
    }

    /** Reads and decrypts until the server's stream ends. */
    Received readToEnd() throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        while (true) {
            SSLEngineResult.Status status = unwrap(app);
            app.flip();
            text.write(app.array(), 0, app.limit());
            app.clear();
            if (status == SSLEngineResult.Status.CLOSED) {
                return new Received(text.toString(StandardCharsets.ISO_8859_1), true);
            }
            if (status == null) {
                return new Received(text.toString(StandardCharsets.ISO_8859_1), false);
            }
        }
    }

    private void wrap(ByteBuffer plain) throws IOException {
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(plain, net);
        out.write(net.array(), 0, net.position());
        out.flush();
    }

    /** One unwrap, reading more when a record is incomplete; {@code null} at the end of the stream. */
    private SSLEngineResult.Status unwrap(ByteBuffer app) throws IOException {
        while (true) {
            SSLEngineResult result = engine.unwrap(netIn, app);
            if (result.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                return result.getStatus();
            }
            netIn.compact();
            int read = in.read(netIn.array(), netIn.position(), netIn.remaining());
            if (read < 0) {
                netIn.flip();
                return null;
            }
            netIn.position(netIn.position() + read).flip();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // No close_notify came: that is what some tests check, not a failure of closing.
        }
        socket.close();
    }
}
