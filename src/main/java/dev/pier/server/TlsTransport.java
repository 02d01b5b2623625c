package dev.pier.server;

import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;
import lombok.extern.slf4j.Slf4j;

/**
 * TLS over a non-blocking socket, driven by an {@link SSLEngine} on the connection's event loop.
 *
 * <p><b>Handshake.</b> It runs before any HTTP byte: reads carry it on ({@code NEED_UNWRAP}),
 * writes flush the server's flights ({@code NEED_WRAP}), and the engine's delegated tasks (key
 * exchange, signing: milliseconds of CPU) run on a separate executor, the connection waiting for
 * nothing meanwhile; the loop resumes it when they are done. TLS 1.2 renegotiation is refused by
 * closing the connection; TLS 1.3's post-handshake messages (session tickets, key updates) are
 * answered.
 *
 * <p><b>Buffers.</b> Records are decrypted and encrypted in the loop's {@link TlsScratch}; the
 * connection keeps buffers of its own only for leftovers (part of a record, decrypted bytes not yet
 * parsed, encrypted bytes not yet written) and drops them once they empty. Output is bounded: while
 * encrypted bytes wait for the socket, nothing more is encrypted. Files are read in chunks of
 * {@link TlsScratch#RECORDS_PER_WRITE} records, since zero-copy cannot pass through TLS.
 *
 * <p><b>Ending.</b> A closing response ends with {@code close_notify} before the socket's output
 * is shut down; an idle connection closed by the server says it too. A plain HTTP request is
 * recognised by its first byte and answered in plain text ({@link PlainHttpRequestException}).
 *
 * <p>Loop thread only, but for the engine itself, which delegated tasks use on their executor
 * while {@link #tasksRunning}.
 */
@Slf4j
final class TlsTransport implements Transport {

    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};
    private static final int RECORD_HEADER = 5;

    private final SocketChannel channel;
    private final SSLEngine engine;
    /**
     * Which host name gets which certificate; {@code null} when there is nothing to check: all get
     * the one, or the client named no host by SNI (found at its first request).
     */
    private HostCertificates hosts;
    /**
     * The key manager whose certificate the client's SNI chose, looked up at the first request and
     * kept: renegotiation is refused, so the handshake's choice holds for the connection's life.
     */
    private X509ExtendedKeyManager chosenBySni;
    private final TlsScratch scratch;
    private final EventLoop loop;
    private final Executor delegatedTasks;
    private final Runnable resume;
    private final TlsEndpoint endpoint;
    private final ByteBuffer[] chunkArray = new ByteBuffer[1];

    /** Ciphertext read and not yet decrypted, part of a record; write mode; {@code null} when none. */
    private ByteBuffer netIn;
    /** Plaintext decrypted and not yet read; read mode; {@code null} when none. */
    private ByteBuffer appIn;
    /** Encrypts and writes, keeping what the socket does not take. */
    private final TlsOutput output;

    /** The first handshake has finished: application bytes may flow. */
    private boolean established;
    /** Delegated tasks hold the engine; the loop leaves it alone until they are done. */
    private boolean tasksRunning;
    /** The peer said {@code close_notify}, or its stream ended. */
    private boolean inputEnded;
    private boolean firstRead = true;
    /** A plain HTTP request came: bytes pass through unencrypted, for the 400 that answers it. */
    private boolean plain;

    TlsTransport(SocketChannel channel, SSLEngine engine, HostCertificates hosts, TlsScratch scratch, EventLoop loop, Executor delegatedTasks,
            Runnable resume, TlsEndpoint endpoint) {
        this.channel = channel;
        this.engine = engine;
        this.hosts = hosts;
        this.scratch = scratch;
        this.loop = loop;
        this.delegatedTasks = delegatedTasks;
        this.resume = resume;
        this.endpoint = endpoint;
        this.output = new TlsOutput(channel, engine, scratch);
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            // A server engine that has done nothing yet cannot fail to begin; if it did, the first read reports it.
            log.debug("Could not begin a TLS handshake", e);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (plain) {
            return channel.read(dst);
        }
        int taken = takeDecrypted(dst);
        if (taken > 0 || !dst.hasRemaining()) {
            return taken;
        }
        if (inputEnded) {
            return -1;
        }
        if (tasksRunning) {
            return 0;
        }
        ByteBuffer net = netIn != null ? netIn : scratch.netIn.clear();
        boolean endOfStream = false;
        if (!hasCompleteRecord(net)) {
            if (!net.hasRemaining()) {
                net = netIn = TlsScratch.grown(net, Math.max(engine.getSession().getPacketBufferSize(), 2 * net.capacity()));
            }
            endOfStream = channel.read(net) < 0;
        }
        if (firstRead && net.position() > 0) {
            firstRead = false;
            if (isPlainHttp(net.get(0))) {
                plain = true;
                throw new PlainHttpRequestException();
            }
        }
        net.flip();
        int produced;
        try {
            produced = unwrap(net, dst);
        } catch (SSLException e) {
            if (!established) {
                sendAlert();
            }
            throw e;
        } finally {
            keepUnread(net);
        }
        if (endOfStream) {
            inputEnded = true;
        }
        return produced > 0 ? produced : inputEnded ? -1 : 0;
    }

    /**
     * A TLS record starts with its content type, 20 to 24; an SSL 2 hello with a byte of 128 or
     * more. A letter is the start of an HTTP method.
     */
    private static boolean isPlainHttp(byte first) {
        return first >= 'A' && first <= 'Z' || first >= 'a' && first <= 'z';
    }

    /**
     * Decrypts what {@code net} holds into {@code dst}, carrying the handshake along: writes what it
     * must write, starts delegated tasks when it must compute. Stops when the records run out, when
     * the decrypted bytes fill the scratch buffer, or when the handshake waits for something.
     */
    private int unwrap(ByteBuffer net, ByteBuffer dst) throws IOException {
        ByteBuffer app = scratch.appIn.clear();
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                startDelegatedTasks();
                break;
            }
            if (status == HandshakeStatus.NEED_WRAP) {
                if (output.hasPending()) {
                    break;
                }
                wrapAndWrite(NOTHING, 0, 1);
                if (tasksRunning || output.lastProduced() == 0 || output.hasPending() && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    break;
                }
                continue;
            }
            if (!net.hasRemaining()) {
                break;
            }
            SSLEngineResult result = engine.unwrap(net, app);
            if (result.getStatus() == Status.BUFFER_OVERFLOW) {
                if (app.position() > 0) {
                    break;
                }
                app = scratch.appIn = ByteBuffer.allocate(Math.max(engine.getSession().getApplicationBufferSize(), 2 * app.capacity()));
                continue;
            }
            if (result.getStatus() == Status.BUFFER_UNDERFLOW) {
                break;
            }
            if (result.getStatus() == Status.CLOSED) {
                inputEnded = true;
                break;
            }
            noteUnwrapped(result.getHandshakeStatus());
            if (result.bytesConsumed() == 0 && result.bytesProduced() == 0 && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
                break;
            }
        }
        app.flip();
        int produced = app.remaining();
        transfer(app, dst);
        if (app.hasRemaining()) {
            appIn = ByteBuffer.allocate(app.remaining()).put(app).flip();
        }
        return produced;
    }

    /**
     * Marks the handshake finished, and refuses a second one: TLS 1.2 renegotiation, started by a
     * new ClientHello, is an old source of attacks and of nothing HTTP/1.1 needs. (TLS 1.3 has no
     * renegotiation; its post-handshake messages are allowed.)
     */
    private void noteUnwrapped(HandshakeStatus status) throws SSLException {
        if (!established) {
            if (status == HandshakeStatus.FINISHED || status == HandshakeStatus.NOT_HANDSHAKING) {
                established = true;
            }
        } else if (status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED
                && !"TLSv1.3".equals(engine.getSession().getProtocol())) {
            throw new SSLException("TLS renegotiation refused");
        }
    }

    /** Keeps what {@code net} (read mode) still holds, part of a record, in a buffer of this connection's own. */
    private void keepUnread(ByteBuffer net) {
        if (!net.hasRemaining()) {
            netIn = null;
        } else if (net == netIn) {
            net.compact();
        } else {
            netIn = ByteBuffer.allocate(Math.max(engine.getSession().getPacketBufferSize(), net.remaining())).put(net);
        }
    }

    private int takeDecrypted(ByteBuffer dst) {
        if (appIn == null) {
            return 0;
        }
        int taken = transfer(appIn, dst);
        if (!appIn.hasRemaining()) {
            appIn = null;
        }
        return taken;
    }

    private static int transfer(ByteBuffer from, ByteBuffer to) {
        int count = Math.min(from.remaining(), to.remaining());
        to.put(to.position(), from, from.position(), count);
        to.position(to.position() + count);
        from.position(from.position() + count);
        return count;
    }

    /** Whether a buffer in write mode, filled from its start, holds at least one whole record. */
    private static boolean hasCompleteRecord(ByteBuffer buffer) {
        int available = buffer.position();
        if (available < RECORD_HEADER) {
            return false;
        }
        int length = (buffer.get(3) & 0xff) << 8 | buffer.get(4) & 0xff;
        return available >= RECORD_HEADER + length;
    }

    @Override
    public boolean hasBufferedInput() {
        if (plain || tasksRunning) {
            return false;
        }
        return appIn != null || inputEnded || netIn != null && hasCompleteRecord(netIn);
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
        if (plain) {
            return channel.write(sources, offset, length);
        }
        if (!writable()) {
            return 0;
        }
        return wrapAndWrite(sources, offset, length);
    }

    @Override
    public long transferFile(FileChannel file, long position, long count) throws IOException {
        if (plain) {
            return file.transferTo(position, count, channel);
        }
        if (!writable()) {
            return 0;
        }
        ByteBuffer chunk = scratch.fileChunk.clear();
        if (count < chunk.capacity()) {
            chunk.limit((int) count);
        }
        if (file.read(chunk, position) <= 0) {
            return 0;
        }
        chunk.flip();
        chunkArray[0] = chunk;
        try {
            return wrapAndWrite(chunkArray, 0, 1);
        } finally {
            chunkArray[0] = null;
        }
    }

    /** Application bytes may be encrypted now: the handshake is done and earlier output has gone. */
    private boolean writable() throws IOException {
        return established && !tasksRunning && output.flushPending();
    }

    /** Encrypts and writes through the output half, then carries the handshake on: it may have finished, or want to compute. */
    private long wrapAndWrite(ByteBuffer[] sources, int offset, int length) throws IOException {
        long consumed = output.wrapAndWrite(sources, offset, length);
        if (!established && output.handshakeFinished()) {
            established = true;
        }
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            startDelegatedTasks();
        }
        return consumed;
    }

    @Override
    public void flush() throws IOException {
        if (plain || tasksRunning || !output.flushPending()) {
            return;
        }
        HandshakeStatus status = engine.getHandshakeStatus();
        if (status == HandshakeStatus.NEED_TASK) {
            startDelegatedTasks();
        } else if (status == HandshakeStatus.NEED_WRAP) {
            try {
                wrapAndWrite(NOTHING, 0, 1);
            } catch (SSLException e) {
                // A delegated task refused the ClientHello (no common protocol, suite or ALPN): say why before closing.
                if (!established) {
                    sendAlert();
                }
                throw e;
            }
        }
    }

    @Override
    public boolean hasPendingOutput() {
        return output.hasPending();
    }

    @Override
    public String applicationProtocol() {
        String chosen = engine.getApplicationProtocol();
        return chosen == null || chosen.isEmpty() ? null : chosen;
    }

    /**
     * The certificate this connection showed was chosen by the client's SNI; a request for a host
     * that gets another one is not this connection's to answer. No SNI, no choice was made.
     */
    @Override
    public boolean isAuthoritativeFor(HttpRequest request) {
        if (hosts == null || plain) {
            return true;
        }
        if (chosenBySni == null) {
            String serverName = SniKeyManager.requestedHostName(engine.getSession());
            if (serverName == null) {
                hosts = null;
                return true;
            }
            chosenBySni = hosts.forName(serverName);
        }
        return hosts.sameCertificate(chosenBySni, request.header("host"));
    }

    @Override
    public boolean isEstablished() {
        return established || plain;
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (plain || !established || tasksRunning) {
            channel.shutdownOutput();
            return;
        }
        engine.closeOutbound();
        output.shutOutputWhenDone();
        flush();
    }

    @Override
    public boolean closesAtOnce() {
        return false;
    }

    @Override
    public int discardInput(ByteBuffer scratchBuffer) throws IOException {
        // What follows our close_notify needs no decrypting: only the end of the stream is awaited.
        return channel.read(scratchBuffer);
    }

    @Override
    public int interestOps(int wanted) {
        if (plain) {
            return wanted;
        }
        if (tasksRunning) {
            return 0;
        }
        return output.hasPending() ? wanted | SelectionKey.OP_WRITE : wanted;
    }

    @Override
    public HttpResponse addTransportHeaders(HttpResponse response) {
        return plain ? response : endpoint.withStrictTransportSecurity(response);
    }

    /**
     * The engine wants its tasks run. They run on the executor, one after another, and the loop
     * is told when they are done; meanwhile the connection asks the selector for nothing.
     */
    private void startDelegatedTasks() {
        tasksRunning = true;
        Runnable runAll = () -> {
            try {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } finally {
                loop.execute(this::tasksDone);
            }
        };
        try {
            delegatedTasks.execute(runAll);
        } catch (RejectedExecutionException e) {
            // The server is stopping; finish here rather than leave the connection waiting.
            runAll.run();
        }
    }

    private void tasksDone() {
        tasksRunning = false;
        resume.run();
    }

    /** After a failed handshake, the engine has an alert to say why (protocol_version, handshake_failure...); try to send it. */
    private void sendAlert() {
        try {
            if (!output.hasPending() && !tasksRunning) {
                engine.closeOutbound();
                wrapAndWrite(NOTHING, 0, 1);
            }
        } catch (IOException | RuntimeException e) {
            log.trace("Could not send a TLS alert", e);
        }
    }

    @Override
    public void close(boolean clean) {
        if (clean && established && !plain && !output.closing() && !tasksRunning && !output.hasPending()) {
            try {
                engine.closeOutbound();
                wrapAndWrite(NOTHING, 0, 1);
            } catch (IOException | RuntimeException e) {
                log.trace("Could not say close_notify", e);
            }
        }
        netIn = null;
        appIn = null;
        output.drop();
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Closing a connection failed", e);
        }
    }
}
