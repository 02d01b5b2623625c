package dev.pier.test;

import dev.pier.http2.ErrorCode;
import dev.pier.http2.Flags;
import dev.pier.http2.FrameListener;
import dev.pier.http2.FrameParser;
import dev.pier.http2.FrameType;
import dev.pier.http2.FrameWriter;
import dev.pier.http2.Http2Exception;
import dev.pier.http2.Http2Settings;
import dev.pier.http2.Preface;
import dev.pier.http2.hpack.HeaderField;
import dev.pier.http2.hpack.HpackDecoder;
import dev.pier.http2.hpack.HpackEncoder;
import dev.pier.http2.hpack.HpackException;
import dev.pier.test.H2Frame.Closed;
import dev.pier.test.H2Frame.Data;
import dev.pier.test.H2Frame.GoAway;
import dev.pier.test.H2Frame.Headers;
import dev.pier.test.H2Frame.ParseError;
import dev.pier.test.H2Frame.RstStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP/2 client at the frame level, over a real socket, for tests that play a well-behaved or
 * a hostile peer: the test writes exactly the frames it means, valid or not, and reads the
 * server's frames one by one as {@link H2Frame} records.
 *
 * <pre>{@code
 * try (H2Peer peer = H2Peer.connect(port)) {
 *     peer.get(1, "/hello.txt", "localhost");
 *     H2Peer.Response response = peer.response(1, Duration.ofSeconds(5));
 *     assertThat(response.status()).isEqualTo(200);
 *
 *     peer.sendFrame(FrameType.PING.code(), 0, 0, new byte[7]); // a PING of 7 bytes
 *     assertThat(peer.awaitGoAway(Duration.ofSeconds(5)).error()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR);
 * }
 * }</pre>
 *
 * <p>Reading. A daemon thread reads the server's bytes as they come, parses them with Pier's own
 * {@link FrameParser} and {@link HpackDecoder} and queues the frames; a header block is one
 * {@link Headers} once its END_HEADERS arrives. The test takes frames with a timeout: in order
 * ({@link #next}), the first of a kind wherever it is ({@link #await}, leaving the others queued),
 * or a whole stream ({@link #response}, also leaving the other streams' frames queued). A timeout
 * is an {@link AssertionError}, and a wait for something that can no longer come (the server
 * closed, or this peer was closed) fails at once rather than at the timeout. What the codec
 * refuses in the server's bytes is queued as {@link ParseError}, so a test can assert that the
 * server sent something malformed; the end of the connection is queued as {@link Closed}.
 *
 * <p>By default the peer is polite in two ways: it acknowledges the server's SETTINGS
 * ({@link #autoAck}) and, as each DATA frame arrives, gives its length back to the stream's and
 * the connection's windows ({@link #autoWindowUpdate}), so downloads of any size finish. These
 * replies are owed before the frame that caused them is queued, and written by a thread of their
 * own (the reader never waits on a write) or by the test's next send, ahead of its bytes: a frame
 * the test sends after seeing the server's SETTINGS follows the ACK. They are held back until
 * this peer's own first SETTINGS has ended its preface, and while a header block sent in pieces
 * ({@link #sendHeadersBlock}, {@link #sendContinuation}) is open; bytes given to {@link #sendRaw}
 * are not looked into. The peer never answers PINGs nor respects the server's flow-control
 * windows when sending: that is the test's business.
 *
 * <p>Writing. Sends are synchronized, so a test may write from several threads, and a header
 * block is encoded and written under one lock, so the HPACK tables stay in step. A write that
 * the server does not take within {@link #writeTimeout} (10 seconds by default: the server stopped
 * reading) closes the socket and fails, so no test hangs on a full socket buffer.
 */
public final class H2Peer implements AutoCloseable {

    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);

    /** How long a connect or a TLS handshake may take. */
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    /** SO_TIMEOUT of every read: the reader wakes up this often to see whether the peer was closed. */
    private static final int READ_TIMEOUT_MILLIS = 1_000;

    /** The server's bytes kept for {@link #received()}. */
    private static final int RECEIVED_KEPT = 64 * 1024;

    /** The decoder's header list limit: beyond any response a test makes. */
    private static final int MAX_HEADER_LIST_SIZE = 1 << 20;

    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final Socket transport;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String applicationProtocol;
    private final boolean tls;

    private final Object writeLock = new Object();
    private final HpackEncoder encoder = new HpackEncoder(); // guarded by itself: the reader applies the server's table size
    private final HpackDecoder decoder;
    private final FrameParser parser = new FrameParser();
    private final Assembler assembler = new Assembler(); // the reader's: a frame's bytes may come in several reads
    private final ExecutorService replies;
    /** Automatic replies not written yet: SETTINGS ACKs, WINDOW_UPDATEs. */
    private final Queue<byte[]> owed = new ConcurrentLinkedQueue<>();
    /** Whether this peer sent a SETTINGS frame, which ends its preface: automatic replies wait for it. Guarded by {@link #writeLock}. */
    private boolean prefaceSent;
    /**
     * Whether the last HEADERS or CONTINUATION sent by {@link #sendFrame} left its block open: no
     * other frame may come until it ends (§6.10), so automatic replies wait. Guarded by {@link #writeLock}.
     */
    private boolean headerBlockOpen;
    private final Thread reader;

    /** Frames read and not yet taken, in order; the lock and condition of every wait. */
    private final List<H2Frame> frames = new ArrayList<>();
    /** The last frame, once the server closed: it stays. Guarded by {@link #frames}. */
    private Closed end;
    /** Why this peer is closed on our side (close(), a write timeout), or null. Guarded by {@link #frames}. */
    private String closedLocally;

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private volatile boolean autoAck = true;
    private volatile boolean autoWindowUpdate = true;
    private volatile Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private volatile boolean closed;
    /** The largest MAX_FRAME_SIZE we advertised: the server may use it once acknowledged. */
    private volatile int advertisedMaxFrameSize = Http2Settings.MIN_MAX_FRAME_SIZE;
    private volatile Http2Settings serverSettings = Http2Settings.DEFAULTS;
    /** Set by the reader once the server's bytes could no longer be parsed: the rest is only read, for the close. */
    private boolean broken;

    private H2Peer(Socket transport, Socket socket, List<Http2Settings.Setting> advertised) throws IOException {
        this.transport = transport;
        this.socket = socket;
        this.tls = socket instanceof SSLSocket;
        this.applicationProtocol = tls ? ((SSLSocket) socket).getApplicationProtocol() : null;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.decoder = new HpackDecoder(headerTableSize(advertised), MAX_HEADER_LIST_SIZE);
        advertise(advertised);
        int port = socket.getPort();
        ThreadPoolExecutor replies = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> daemon(runnable, "h2peer-replies-" + port));
        replies.allowCoreThreadTimeOut(true); // no thread left behind by a test that forgets to close
        this.replies = replies;
        this.reader = daemon(this::read, "h2peer-reader-" + port);
        reader.start();
    }

    // ---- Connecting

    /** Connects over plain TCP (h2c with prior knowledge) and sends the preface and an empty SETTINGS frame. */
    public static H2Peer connect(int port) throws IOException {
        return connect(port, List.of());
    }

    /** Connects over plain TCP and sends the preface and a SETTINGS frame of these settings, as given. */
    public static H2Peer connect(int port, List<Http2Settings.Setting> settings) throws IOException {
        Socket socket = open(port);
        return opened(socket, socket, settings);
    }

    /**
     * Connects over TLS offering only {@code h2} by ALPN (with {@code localhost} as the SNI name),
     * fails unless the server chose {@code h2}, then sends the preface and an empty SETTINGS frame.
     */
    public static H2Peer connectTls(int port, SSLContext context) throws IOException {
        return connectTls(port, context, List.of());
    }

    public static H2Peer connectTls(int port, SSLContext context, List<Http2Settings.Setting> settings) throws IOException {
        return connectTls(port, context, "localhost", settings);
    }

    /** As {@link #connectTls(int, SSLContext)}, asking by SNI for {@code serverName}. */
    public static H2Peer connectTls(int port, SSLContext context, String serverName, List<Http2Settings.Setting> settings) throws IOException {
        Socket transport = open(port);
        try {
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(transport, serverName, port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            String protocol = socket.getApplicationProtocol();
            if (!"h2".equals(protocol)) {
                throw new AssertionError("ALPN chose " + (protocol == null || protocol.isEmpty() ? "no protocol" : protocol) + ", not h2");
            }
            return opened(transport, socket, settings);
        } catch (IOException | RuntimeException | Error e) {
            transport.close();
            throw e;
        }
    }

    /** A plain TCP connection on which nothing is sent yet: the test writes the preface, or something else. */
    public static H2Peer raw(int port) throws IOException {
        Socket socket = open(port);
        try {
            return new H2Peer(socket, socket, List.of());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Socket open(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MILLIS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static H2Peer opened(Socket transport, Socket socket, List<Http2Settings.Setting> settings) throws IOException {
        H2Peer peer;
        try {
            peer = new H2Peer(transport, socket, settings);
        } catch (IOException | RuntimeException e) {
            transport.close();
            throw e;
        }
        try {
            return peer.sendPreface().sendSettings(settings.toArray(Http2Settings.Setting[]::new));
        } catch (IOException | RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    // ---- Options

    /**
     * Whether the server's SETTINGS are acknowledged as they arrive; on by default. A test that
     * never acknowledges turns it off before the server can send any: {@code raw(port).autoAck(false).sendPreface().sendSettings()}.
     */
    public H2Peer autoAck(boolean on) {
        this.autoAck = on;
        return this;
    }

    /**
     * Whether each DATA frame's length is given back to its stream's window (unless it ended the
     * stream) and to the connection's as soon as the frame arrives; on by default. Off, the
     * windows only grow by {@link #sendWindowUpdate}.
     */
    public H2Peer autoWindowUpdate(boolean on) {
        this.autoWindowUpdate = on;
        return this;
    }

    /** How long one write may wait for the server to take the bytes before the socket is closed. */
    public H2Peer writeTimeout(Duration timeout) {
        this.writeTimeout = timeout;
        return this;
    }

    // ---- Sending

    public H2Peer sendPreface() throws IOException {
        ByteBuffer preface = Preface.bytes();
        byte[] bytes = new byte[preface.remaining()];
        preface.get(bytes);
        return sendRaw(bytes);
    }

    /**
     * A SETTINGS frame of exactly these entries, in order, valid or not. A MAX_FRAME_SIZE among
     * them lets the server send frames that large from now on (a smaller one never shrinks what
     * the parser accepts). The first one ends this peer's preface: automatic replies owed since
     * the connection opened follow it.
     */
    public H2Peer sendSettings(Http2Settings.Setting... settings) throws IOException {
        ByteBuffer payload = ByteBuffer.allocate(6 * settings.length);
        for (Http2Settings.Setting setting : settings) {
            payload.putShort((short) setting.identifier()).putInt((int) setting.value());
        }
        advertise(Arrays.asList(settings));
        write(frame(FrameType.SETTINGS.code(), 0, 0, payload.array()), true);
        return this;
    }

    public H2Peer sendSettingsAck() throws IOException {
        return send(FrameWriter.HEADER_LENGTH, out -> FrameWriter.settingsAck(out));
    }

    /**
     * A header block of these fields, in this order, encoded by this peer's HPACK encoder: one
     * HEADERS frame, followed by CONTINUATION frames if the block is longer than the server's
     * MAX_FRAME_SIZE. Names go as given: lower case them, unless upper case is what the test is
     * about. On stream 0 (invalid), the block goes as one HEADERS frame.
     */
    public H2Peer sendHeaders(int streamId, boolean endStream, String... namesAndValues) throws IOException {
        synchronized (writeLock) { // a block's place in the HPACK sequence is where it goes on the wire
            byte[] block = encodeBlock(namesAndValues);
            if (streamId <= 0) {
                return sendHeadersBlock(streamId, endStream, true, block);
            }
            int maxFrameSize = serverSettings.maxFrameSize();
            return send(FrameWriter.headersLength(block.length, maxFrameSize),
                    out -> FrameWriter.headers(out, streamId, ByteBuffer.wrap(block), endStream, maxFrameSize));
        }
    }

    /** A GET of {@code path} with END_STREAM: {@code :method}, {@code :scheme} (https over TLS, else http), {@code :authority}, {@code :path}. */
    public H2Peer get(int streamId, String path, String authority) throws IOException {
        return sendHeaders(streamId, true, ":method", "GET", ":scheme", tls ? "https" : "http", ":authority", authority, ":path", path);
    }

    /**
     * One HEADERS frame carrying {@code block} (from {@link #encodeBlock}, or any bytes) as it is:
     * a block split by the test, followed by {@link #sendContinuation}, or left unfinished.
     */
    public H2Peer sendHeadersBlock(int streamId, boolean endStream, boolean endHeaders, byte[] block) throws IOException {
        int flags = (endStream ? Flags.END_STREAM : 0) | (endHeaders ? Flags.END_HEADERS : 0);
        return sendFrame(FrameType.HEADERS.code(), flags, streamId, block);
    }

    public H2Peer sendContinuation(int streamId, boolean endHeaders, byte[] block) throws IOException {
        return sendFrame(FrameType.CONTINUATION.code(), endHeaders ? Flags.END_HEADERS : 0, streamId, block);
    }

    /**
     * Encodes a header block with this peer's encoder, whose dynamic table the server's decoder
     * follows: send every block encoded, in the order encoded, or the later ones may not decode
     * as meant (which a test about COMPRESSION_ERROR may want).
     */
    public byte[] encodeBlock(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Names and values come in pairs: " + Arrays.toString(namesAndValues));
        }
        int room = HpackEncoder.MAX_BLOCK_START_LENGTH;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            room += HpackEncoder.maxEncodedLength(namesAndValues[i], namesAndValues[i + 1]);
        }
        ByteBuffer block = ByteBuffer.allocate(room);
        synchronized (encoder) {
            encoder.beginBlock(block);
            for (int i = 0; i < namesAndValues.length; i += 2) {
                encoder.encode(namesAndValues[i], namesAndValues[i + 1], block);
            }
        }
        return Arrays.copyOf(block.array(), block.position());
    }

    /** One DATA frame of exactly these bytes, whatever the server's MAX_FRAME_SIZE and windows. */
    public H2Peer sendData(int streamId, byte[] data, boolean endStream) throws IOException {
        if (streamId <= 0) {
            return sendFrame(FrameType.DATA.code(), endStream ? Flags.END_STREAM : 0, streamId, data);
        }
        return send(FrameWriter.HEADER_LENGTH + data.length, out -> {
            FrameWriter.dataHeader(out, streamId, data.length, endStream);
            out.put(data);
        });
    }

    /** A padded DATA frame: a pad length octet, the data, then {@code padLength} (0 to 255) zeros. */
    public H2Peer sendData(int streamId, byte[] data, boolean endStream, int padLength) throws IOException {
        if (padLength < 0 || padLength > 255) {
            throw new IllegalArgumentException("Pad length " + padLength + " is not an octet");
        }
        byte[] payload = new byte[1 + data.length + padLength];
        payload[0] = (byte) padLength;
        System.arraycopy(data, 0, payload, 1, data.length);
        return sendFrame(FrameType.DATA.code(), Flags.PADDED | (endStream ? Flags.END_STREAM : 0), streamId, payload);
    }

    public H2Peer sendRstStream(int streamId, ErrorCode error) throws IOException {
        if (streamId <= 0) {
            return sendFrame(FrameType.RST_STREAM.code(), 0, streamId, int32(error.code()));
        }
        return send(FrameWriter.HEADER_LENGTH + 4, out -> FrameWriter.rstStream(out, streamId, error));
    }

    public H2Peer sendPing(long data) throws IOException {
        return sendPing(data, false);
    }

    /** A PING, or with {@code ack} the answer to one of the server's. */
    public H2Peer sendPing(long data, boolean ack) throws IOException {
        return send(FrameWriter.HEADER_LENGTH + 8, out -> FrameWriter.ping(out, data, ack));
    }

    /** A WINDOW_UPDATE; an increment of 0, or a negative one (the reserved bit set), goes as given. */
    public H2Peer sendWindowUpdate(int streamId, int increment) throws IOException {
        if (streamId < 0 || increment <= 0) {
            return sendFrame(FrameType.WINDOW_UPDATE.code(), 0, streamId, int32(increment));
        }
        return send(FrameWriter.HEADER_LENGTH + 4, out -> FrameWriter.windowUpdate(out, streamId, increment));
    }

    /** A PRIORITY frame (deprecated, yet to be parsed): not exclusive, {@code weight} 1 to 256, sent as weight - 1. */
    public H2Peer sendPriority(int streamId, int dependency, int weight) throws IOException {
        return sendPriority(streamId, dependency, false, weight);
    }

    public H2Peer sendPriority(int streamId, int dependency, boolean exclusive, int weight) throws IOException {
        byte[] payload = new byte[5];
        System.arraycopy(int32(dependency | (exclusive ? 0x8000_0000 : 0)), 0, payload, 0, 4);
        payload[4] = (byte) (weight - 1);
        return sendFrame(FrameType.PRIORITY.code(), 0, streamId, payload);
    }

    public H2Peer sendGoAway(int lastStreamId, ErrorCode error) throws IOException {
        return sendGoAway(lastStreamId, error, "");
    }

    public H2Peer sendGoAway(int lastStreamId, ErrorCode error, String debug) throws IOException {
        byte[] debugData = debug.getBytes(StandardCharsets.ISO_8859_1);
        if (lastStreamId < 0) {
            byte[] payload = new byte[8 + debugData.length];
            System.arraycopy(int32(lastStreamId), 0, payload, 0, 4);
            System.arraycopy(int32(error.code()), 0, payload, 4, 4);
            System.arraycopy(debugData, 0, payload, 8, debugData.length);
            return sendFrame(FrameType.GOAWAY.code(), 0, 0, payload);
        }
        return send(FrameWriter.HEADER_LENGTH + 8 + debugData.length, out -> FrameWriter.goAway(out, lastStreamId, error, debugData));
    }

    /** Any frame, its length that of the payload: unknown types, wrong lengths, wrong streams, any flags. */
    public H2Peer sendFrame(int type, int flags, int streamId, byte[] payload) throws IOException {
        synchronized (writeLock) {
            write(frame(type, flags, streamId, payload));
            if (type == FrameType.HEADERS.code() || type == FrameType.CONTINUATION.code()) {
                headerBlockOpen = (flags & Flags.END_HEADERS) == 0;
                if (!headerBlockOpen && !owed.isEmpty()) {
                    write(new byte[0]); // the replies held back while the block was open
                }
            }
        }
        return this;
    }

    /** These bytes, in one write: several frames at once, a frame header that lies about its length, a frame cut short. */
    public H2Peer sendRaw(byte[] bytes) throws IOException {
        write(bytes);
        return this;
    }

    /** The bytes of a frame whose length is that of its payload, for {@link #sendRaw}. */
    public static byte[] frame(int type, int flags, int streamId, byte[] payload) {
        byte[] frame = Arrays.copyOf(frameHeader(payload.length, type, flags, streamId), FrameWriter.HEADER_LENGTH + payload.length);
        System.arraycopy(payload, 0, frame, FrameWriter.HEADER_LENGTH, payload.length);
        return frame;
    }

    /** A frame header alone, announcing {@code length} bytes (24 bits are kept), for {@link #sendRaw}. */
    public static byte[] frameHeader(int length, int type, int flags, int streamId) {
        return new byte[] {(byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags,
            (byte) (streamId >>> 24), (byte) (streamId >>> 16), (byte) (streamId >>> 8), (byte) streamId};
    }

    private interface FrameWrite {
        void to(ByteBuffer out);
    }

    private H2Peer send(int length, FrameWrite frame) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(length);
        frame.to(out);
        if (out.hasRemaining()) {
            throw new IllegalStateException("Wrote " + out.position() + " of the " + length + " bytes expected");
        }
        return sendRaw(out.array());
    }

    /**
     * Writes the automatic replies owed, then the bytes, so that a frame the test sends after
     * seeing the server's SETTINGS follows their ACK. Replies are only owed, not written, before
     * this peer's own SETTINGS, the end of its connection preface (RFC 9113 §3.4), since a server
     * may send its SETTINGS before it has the preface, and while a header block sent in pieces is
     * open.
     */
    private void write(byte[] bytes) throws IOException {
        write(bytes, false);
    }

    private void write(byte[] bytes, boolean settings) throws IOException {
        synchronized (writeLock) {
            if (closed) {
                throw new IOException("H2Peer is closed: " + closedLocally());
            }
            Duration timeout = writeTimeout;
            ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> abort("closed after a write took more than " + timeout.toMillis()
                    + " ms: the server stopped reading"), timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                if (prefaceSent && !headerBlockOpen) {
                    writeOwed();
                }
                out.write(bytes);
                if (settings && !prefaceSent) {
                    prefaceSent = true;
                    writeOwed();
                }
                out.flush();
            } catch (IOException e) {
                String why = closedLocally();
                throw why == null ? e : new IOException(why, e);
            } finally {
                watchdog.cancel(false);
            }
        }
    }

    private void writeOwed() throws IOException {
        for (byte[] reply = owed.poll(); reply != null; reply = owed.poll()) {
            out.write(reply);
        }
    }

    /**
     * An automatic reply: owed at once, written by the next write, which the replies thread
     * makes so that the reader never waits for the server to read.
     */
    private void reply(byte[] bytes) {
        owed.add(bytes);
        try {
            replies.execute(() -> {
                try {
                    write(new byte[0]);
                } catch (IOException e) {
                    // The connection is gone: the reader sees it and queues the close.
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed.
        }
    }

    // ---- Reading

    /** The next frame, waiting at most {@code timeout}; empty if none came. After the close, the {@link Closed} marker, again and again. */
    public Optional<H2Frame> poll(Duration timeout) {
        return Optional.ofNullable(waitFor(timeout, () -> frames.isEmpty() ? end : frames.remove(0)));
    }

    /** The next frame, whatever it is, waiting at most {@code timeout}. */
    public H2Frame next(Duration timeout) {
        return poll(timeout).orElseThrow(() -> failure("No frame from the server within " + timeout));
    }

    /** The next frame, which must be a {@code type}: anything else before it fails (and stays queued). */
    public <T extends H2Frame> T next(Class<T> type, Duration timeout) {
        H2Frame frame = waitFor(timeout, () -> {
            if (frames.isEmpty()) {
                return end;
            }
            if (!type.isInstance(frames.get(0))) {
                throw failure("Expected a " + type.getSimpleName() + " next, the server sent " + frames.get(0));
            }
            return frames.remove(0);
        });
        if (frame == null) {
            throw failure("No frame from the server within " + timeout + ", expected a " + type.getSimpleName());
        }
        if (!type.isInstance(frame)) {
            throw failure("Expected a " + type.getSimpleName() + ", the server sent " + frame);
        }
        return type.cast(frame);
    }

    /**
     * The first frame of {@code type} queued or to come, skipping the others, which stay queued
     * in order for later calls. Fails at once if the server closed without sending one.
     */
    public <T extends H2Frame> T await(Class<T> type, Duration timeout) {
        return await(type, frame -> true, timeout);
    }

    /** The first frame of {@code type} that matches, skipping (and keeping) the others. */
    public <T extends H2Frame> T await(Class<T> type, Predicate<? super T> matching, Duration timeout) {
        H2Frame found = waitFor(timeout, () -> {
            for (Iterator<H2Frame> it = frames.iterator(); it.hasNext();) {
                H2Frame frame = it.next();
                if (type.isInstance(frame) && matching.test(type.cast(frame))) {
                    it.remove();
                    return frame;
                }
            }
            if (end != null) {
                if (type.isInstance(end) && matching.test(type.cast(end))) {
                    return end;
                }
                throw failure("The server closed the connection (" + end + ") without sending the " + type.getSimpleName() + " awaited");
            }
            return null;
        });
        if (found == null) {
            throw failure("No " + type.getSimpleName() + " from the server within " + timeout);
        }
        return type.cast(found);
    }

    /** The server's GOAWAY, skipping (and keeping) other frames. */
    public GoAway awaitGoAway(Duration timeout) {
        return await(GoAway.class, timeout);
    }

    /** Whether the server closed the connection (end of stream or reset) within {@code timeout}; the frames stay queued. */
    public boolean awaitClose(Duration timeout) {
        try {
            return waitFor(timeout, () -> end) != null;
        } catch (AssertionError e) {
            if (end() == null) {
                return false; // closed on our side: the server did not close it
            }
            throw e;
        }
    }

    /**
     * One stream's response: its HEADERS (informational 1xx heads skipped), the DATA, and the
     * trailers if any, until END_STREAM or a RST_STREAM. The stream's frames are taken; the
     * others stay queued. Fails if the server closes the connection, or sends what cannot be
     * parsed, before the stream ends.
     */
    public Response response(int streamId, Duration timeout) {
        ResponseCollector response = new ResponseCollector(streamId);
        Response done = waitFor(timeout, () -> {
            for (Iterator<H2Frame> it = frames.iterator(); it.hasNext();) {
                H2Frame frame = it.next();
                if (frame instanceof ParseError error && error.isConnectionError()) {
                    throw failure("The server's bytes broke the protocol (" + error + ") before stream " + streamId + " ended: " + response);
                }
                if (response.takes(frame)) {
                    it.remove();
                    if (response.done()) {
                        return response.toResponse();
                    }
                }
            }
            if (end != null) {
                throw failure("The server closed the connection (" + end + ") before stream " + streamId + " ended: " + response);
            }
            return null;
        });
        if (done == null) {
            throw failure("Stream " + streamId + " did not end within " + timeout + ": " + response);
        }
        return done;
    }

    /** A copy of the frames read and not yet taken. */
    public List<H2Frame> pending() {
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    /** The settings the server declared so far, applied to the defaults; the defaults until its first SETTINGS. */
    public Http2Settings serverSettings() {
        return serverSettings;
    }

    /** The protocol ALPN chose ({@code h2}) on a TLS connection; null on a plain one. */
    public String applicationProtocol() {
        return applicationProtocol;
    }

    /** The server's first 64 KiB, as they came: what the server sent instead of frames, such as an HTTP/1.1 response. */
    public byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    /** The socket, for options such as SO_LINGER. */
    public Socket socket() {
        return socket;
    }

    /** Closes the socket without a GOAWAY nor a TLS close_notify; never throws. */
    @Override
    public void close() {
        abort("closed by the test");
    }

    private void abort(String why) {
        synchronized (frames) {
            if (closedLocally == null) {
                closedLocally = why;
            }
            frames.notifyAll();
        }
        closed = true;
        replies.shutdownNow();
        try {
            transport.close(); // the plain socket under TLS too: closing it cannot wait on a writer's lock
        } catch (IOException e) {
            // Quietly.
        }
    }

    // ---- Waiting

    private interface Check<T> {
        /** What the wait is for, or null to wait on; called holding the lock of {@link #frames}. */
        T find();
    }

    private <T> T waitFor(Duration timeout, Check<T> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (frames) {
            while (true) {
                T found = check.find();
                if (found != null) {
                    return found;
                }
                if (closedLocally != null) {
                    throw failure("H2Peer was " + closedLocally);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(frames, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure("Interrupted");
                }
            }
        }
    }

    /** A failure that shows what is queued: the first frames of it. */
    private AssertionError failure(String message) {
        List<H2Frame> queued = pending();
        String shown = queued.size() <= 20 ? queued.toString() : queued.subList(0, 20) + " and " + (queued.size() - 20) + " more";
        return new AssertionError(message + (queued.isEmpty() ? "" : "; frames queued: " + shown));
    }

    private Closed end() {
        synchronized (frames) {
            return end;
        }
    }

    private String closedLocally() {
        synchronized (frames) {
            return closedLocally;
        }
    }

    private void queue(H2Frame frame) {
        synchronized (frames) {
            frames.add(frame);
            frames.notifyAll();
        }
    }

    // ---- The reader thread

    private void read() {
        byte[] chunk = new byte[64 * 1024];
        try {
            while (!closed) {
                int count;
                try {
                    count = in.read(chunk);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (count < 0) {
                    ended(null);
                    return;
                }
                keep(chunk, count);
                parse(ByteBuffer.wrap(chunk, 0, count));
            }
        } catch (IOException e) {
            if (!closed) {
                ended(e.toString());
            }
        }
    }

    private void ended(String cause) {
        synchronized (frames) {
            end = new Closed(cause);
            frames.notifyAll();
        }
    }

    private void keep(byte[] chunk, int count) {
        synchronized (received) {
            received.write(chunk, 0, Math.min(count, Math.max(0, RECEIVED_KEPT - received.size())));
        }
    }

    private void parse(ByteBuffer bytes) {
        while (!broken) {
            try {
                parser.maxFrameSize(advertisedMaxFrameSize);
                parser.parse(bytes, assembler);
                return;
            } catch (Http2Exception e) {
                queue(new ParseError(e.streamId(), e.error(), e.getMessage()));
                broken = e.isConnectionError(); // after a stream error the parser skips the rest of the frame and goes on
            } catch (RuntimeException e) {
                queue(new ParseError(0, ErrorCode.INTERNAL_ERROR, "H2Peer could not parse: " + e));
                broken = true;
            }
        }
    }

    /** Adds what SETTINGS we send change on our side: what the parser and the decoder accept. */
    private void advertise(List<Http2Settings.Setting> settings) {
        for (Http2Settings.Setting setting : settings) {
            long value = setting.value();
            if (setting.identifier() == Http2Settings.MAX_FRAME_SIZE && value >= Http2Settings.MIN_MAX_FRAME_SIZE
                    && value <= Http2Settings.MAX_MAX_FRAME_SIZE) {
                advertisedMaxFrameSize = Math.max(advertisedMaxFrameSize, (int) value);
            }
        }
    }

    private static int headerTableSize(List<Http2Settings.Setting> settings) {
        long size = HpackEncoder.DEFAULT_TABLE_SIZE;
        for (Http2Settings.Setting setting : settings) {
            if (setting.identifier() == Http2Settings.HEADER_TABLE_SIZE) {
                size = setting.value();
            }
        }
        return (int) Math.min(Math.max(size, 0), Integer.MAX_VALUE);
    }

    /**
     * The state of the reader's frames: DATA payloads and header block fragments are copied as
     * they come, since the parser's slices do not outlive the call, and queued whole.
     */
    private final class Assembler implements FrameListener {

        private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        private int dataLength;
        private boolean headersEndStream;

        @Override
        public void onDataStart(int streamId, int length, int dataLength) {
            payload.reset();
            this.dataLength = length;
        }

        @Override
        public void onData(int streamId, ByteBuffer data) {
            copy(data);
        }

        @Override
        public void onDataEnd(int streamId, boolean endStream) {
            if (autoWindowUpdate && dataLength > 0) {
                ByteBuffer updates = ByteBuffer.allocate(2 * (FrameWriter.HEADER_LENGTH + 4));
                FrameWriter.windowUpdate(updates, 0, dataLength);
                if (!endStream) {
                    FrameWriter.windowUpdate(updates, streamId, dataLength);
                }
                reply(Arrays.copyOf(updates.array(), updates.position()));
            }
            emit(new Data(streamId, payload.toByteArray(), endStream, dataLength));
        }

        @Override
        public void onHeadersStart(int streamId, boolean endStream) {
            payload.reset();
            headersEndStream = endStream;
        }

        @Override
        public void onContinuation(int streamId) {
        }

        @Override
        public void onHeaderBlockFragment(int streamId, ByteBuffer fragment) {
            copy(fragment);
        }

        @Override
        public void onHeadersEnd(int streamId) {
            if (broken) {
                return;
            }
            List<HeaderField> fields = new ArrayList<>();
            try {
                HpackDecoder.Result result = decoder.decode(ByteBuffer.wrap(payload.toByteArray()),
                        (name, value) -> fields.add(new HeaderField(name, value)));
                if (result == HpackDecoder.Result.LIST_TOO_LARGE) {
                    queue(new ParseError(streamId, ErrorCode.PROTOCOL_ERROR, "Header list above " + MAX_HEADER_LIST_SIZE
                            + " bytes: the fields past it are left out"));
                }
                emit(new Headers(streamId, List.copyOf(fields), headersEndStream));
            } catch (HpackException e) {
                queue(new ParseError(0, ErrorCode.COMPRESSION_ERROR, e.getMessage()));
                broken = true;
            }
        }

        @Override
        public void onPriority(int streamId) {
            emit(new H2Frame.Priority(streamId));
        }

        @Override
        public void onRstStream(int streamId, long errorCode) {
            emit(new RstStream(streamId, errorCode));
        }

        @Override
        public void onSettings(List<Http2Settings.Setting> settings) {
            if (broken) {
                return;
            }
            if (settings.contains(new Http2Settings.Setting(Http2Settings.ENABLE_PUSH, 1))) {
                // The codec parses as a server, for which a client's 1 is fine; from a server it is an error (RFC 9113 §6.5.2).
                queue(new ParseError(0, ErrorCode.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH of 1 from a server"));
                broken = true;
                return;
            }
            Http2Settings applied = serverSettings.with(settings);
            serverSettings = applied;
            for (Http2Settings.Setting setting : settings) {
                if (setting.identifier() == Http2Settings.HEADER_TABLE_SIZE) {
                    synchronized (encoder) {
                        encoder.setMaxTableSize((int) Math.min(setting.value(), Integer.MAX_VALUE));
                    }
                }
            }
            if (autoAck) { // owed before the test can see the frame, so whatever it sends next follows the ACK
                reply(frameHeader(0, FrameType.SETTINGS.code(), Flags.ACK, 0));
            }
            emit(new H2Frame.Settings(List.copyOf(settings), false));
        }

        @Override
        public void onSettingsAck() {
            emit(new H2Frame.Settings(List.of(), true));
        }

        @Override
        public void onPing(long data, boolean ack) {
            emit(new H2Frame.Ping(data, ack));
        }

        @Override
        public void onGoAway(int lastStreamId, long errorCode, ByteBuffer debugData) {
            byte[] debug = new byte[debugData.remaining()];
            debugData.get(debug);
            emit(new GoAway(lastStreamId, errorCode, new String(debug, StandardCharsets.ISO_8859_1)));
        }

        @Override
        public void onWindowUpdate(int streamId, int increment) {
            emit(new H2Frame.WindowUpdate(streamId, increment));
        }

        private void copy(ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            payload.writeBytes(copy);
        }

        /** Queues a frame unless an HPACK failure earlier in the same input broke the connection. */
        private void emit(H2Frame frame) {
            if (!broken) {
                queue(frame);
            }
        }
    }

    // ---- Responses

    /**
     * One stream's response as {@link #response} collects it. {@code status} is 0 and
     * {@code fields} empty if the stream was reset before its HEADERS; {@code resetCode} is the
     * RST_STREAM's code, or null if the stream ended with END_STREAM.
     */
    public record Response(int status, List<HeaderField> fields, byte[] body, List<HeaderField> trailers, Long resetCode) {

        /** The first value of a field of the head, or null. */
        public String header(String name) {
            return first(fields, name);
        }

        /** The first value of a trailer field, or null. */
        public String trailer(String name) {
            return first(trailers, name);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public ErrorCode reset() {
            return resetCode == null ? null : ErrorCode.of(resetCode);
        }

        private static String first(List<HeaderField> fields, String name) {
            return fields.stream().filter(field -> field.name().equals(name)).map(HeaderField::value).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return "Response[" + status + " " + fields + ", " + body.length + " bytes" + (trailers.isEmpty() ? "" : ", trailers " + trailers)
                    + (resetCode == null ? "" : ", reset " + reset() + " (" + resetCode + ")") + "]";
        }
    }

    private static final class ResponseCollector {

        private final int streamId;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private Headers head;
        private List<HeaderField> trailers = List.of();
        private Long resetCode;
        private boolean done;

        ResponseCollector(int streamId) {
            this.streamId = streamId;
        }

        /** Takes the frame if it is one of the stream's HEADERS, DATA or RST_STREAM. */
        boolean takes(H2Frame frame) {
            if (frame instanceof Headers headers && headers.streamId() == streamId) {
                int status = headers.status();
                if (head == null && status >= 100 && status < 200 && !headers.endStream()) {
                    return true; // informational: the final head follows
                }
                if (head == null) {
                    head = headers;
                } else {
                    trailers = headers.fields();
                }
                done = headers.endStream();
                return true;
            }
            if (frame instanceof Data data && data.streamId() == streamId) {
                body.writeBytes(data.data());
                done = data.endStream();
                return true;
            }
            if (frame instanceof RstStream reset && reset.streamId() == streamId) {
                resetCode = reset.errorCode();
                done = true;
                return true;
            }
            return false;
        }

        boolean done() {
            return done;
        }

        Response toResponse() {
            return head == null ? new Response(0, List.of(), body.toByteArray(), trailers, resetCode)
                    : new Response(head.status(), head.fields(), body.toByteArray(), trailers, resetCode);
        }

        @Override
        public String toString() {
            return "so far " + (head == null ? "no HEADERS" : head.fields().toString()) + ", " + body.size() + " bytes of DATA";
        }
    }

    // ---- Helpers

    private static byte[] int32(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, runnable -> daemon(runnable, "h2peer-write-watchdog"));
        watchdog.setRemoveOnCancelPolicy(true);
        return watchdog;
    }
}
