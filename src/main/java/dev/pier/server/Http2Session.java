package dev.pier.server;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.HttpHandler;
import dev.pier.handler.StreamingHandler;
import dev.pier.http.Expectation;
import dev.pier.http.HttpDate;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.HttpStatus;
import dev.pier.http.ParserLimits;
import dev.pier.http.ResponseBody;
import dev.pier.http2.ErrorCode;
import dev.pier.http2.FrameListener;
import dev.pier.http2.FrameParser;
import dev.pier.http2.FrameWriter;
import dev.pier.http2.Http2Exception;
import dev.pier.http2.Http2Settings;
import dev.pier.http2.Preface;
import dev.pier.http2.RequestFields;
import dev.pier.http2.ResponseFields;
import dev.pier.http2.hpack.HpackDecoder;
import dev.pier.http2.hpack.HpackEncoder;
import dev.pier.http2.hpack.HpackException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lombok.extern.slf4j.Slf4j;

/**
 * One HTTP/2 connection (RFC 9113) on an event loop: the frames it reads, its streams' state
 * machine, both directions' flow control, and the writing of every stream's frames. It takes over
 * a connection's socket, transport and selection key from the HTTP/1.1 {@link Connection} that
 * recognised it (the client preface, ALPN {@code h2}, or {@code Upgrade: h2c}), and carries each
 * stream's exchange through the same {@link Dispatcher} and handlers. Loop thread only.
 *
 * <p>Reading never stops for a stream: the client may send no more DATA than the windows Pier
 * advertised, and a stream's window is only opened again as its handler consumes (a whole-request
 * handler's body as it is gathered), so a slow handler costs at most a window's bytes. Writing
 * gathers what every stream has ready into one write per loop turn: control frames and HEADERS as
 * they come, DATA by turns, a frame per stream per round, as far as the peer's windows allow and
 * until {@link #HIGH_WATER} bytes wait for the socket. While that much waits, reading pauses too,
 * which bounds what a peer that floods control frames and reads nothing can make Pier queue.
 */
@Slf4j
final class Http2Session implements Selectable, FrameListener {

    /** The connection's receive window, opened at once to the largest: each stream's window bounds the buffering. */
    private static final int CONNECTION_WINDOW = Http2Settings.MAX_WINDOW_SIZE;
    /** Frames are assembled in buffers of this size, handed to the socket in one gathering write. */
    private static final int FRAME_BUFFER = 32 * 1024;
    /** DATA payloads up to this size are copied next to their frame header; larger ones are written from where they are. */
    private static final int COPY_LIMIT = 4096;
    /** Output waiting for the socket beyond which no more DATA is framed and reading pauses. */
    private static final long HIGH_WATER = 256 * 1024;
    /** Recently closed streams remembered, to tell a frame for one (STREAM_CLOSED) from a stream id never used (PROTOCOL_ERROR). */
    private static final int RECENTLY_CLOSED = 256;
    /** The PING sent with the first GOAWAY of a graceful shutdown: its answer says the client has seen the GOAWAY. */
    private static final long DRAIN_PING = 0x7069657220627965L;

    enum State { OPEN, LINGER, CLOSED }

    /** A connection error found while reading: the parse stops, GOAWAY goes out. */
    private static final class ConnectionFailure extends RuntimeException {
        final ErrorCode error;

        ConnectionFailure(ErrorCode error, String message) {
            super(message, null, false, false);
            this.error = error;
        }
    }

    /** The socket side, taken over from the connection that recognised HTTP/2. */
    private final Wire wire;
    private final EventLoop loop;
    private final Transport transport;
    private final ServerSettings settings;
    private final ServerSettings.Http2 limits;
    private final Dispatcher dispatcher;
    private final Drain drain;
    private final ServerStats stats;
    private final ExchangeObserver observer;
    private final InetSocketAddress remoteAddress;
    private final OutboundQueue outbound;
    private final ConnectionTimer timer;

    private final FrameParser parser;
    private final HpackDecoder decoder;
    private final HpackEncoder encoder = new HpackEncoder();
    private final ResponseFields responseFields = new ResponseFields(encoder);
    private final RequestFields requestFields;
    private final Http2Settings advertised;

    private final Map<Integer, Http2Stream> streams = new HashMap<>();
    private final ArrayDeque<Http2Stream> ready = new ArrayDeque<>();
    /** Streams whose last frame is queued, in order of where it ends in the output. */
    private final ArrayDeque<Http2Stream> finishing = new ArrayDeque<>();
    private final ArrayDeque<Long> finishingAt = new ArrayDeque<>();
    /** Ids of streams recently closed, oldest first; {@code true} if Pier reset it, so DATA still in flight is expected. */
    private final Map<Integer, Boolean> recentlyClosed = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
            return size() > RECENTLY_CLOSED;
        }
    };

    private State state = State.OPEN;
    /** Bytes of the client preface still to match. */
    private int prefaceLeft = Preface.LENGTH;
    private boolean peerSettingsSeen;
    private boolean settingsAcked;
    private Http2Settings peer = Http2Settings.DEFAULTS;
    private int lastStreamId;
    /** Streams holding a concurrency slot: open ones, and reset ones whose handler has not finished. */
    private int slots;
    private long sendWindow = Http2Settings.DEFAULTS.initialWindowSize();
    private long receiveWindow = Http2Settings.DEFAULTS.initialWindowSize();
    private long receivedUnacknowledged;

    // The header block being read.
    private int headerStream;
    private boolean headerEndStream;
    private int continuations;
    private ByteBuffer headerBlock = ByteBuffer.allocate(1024);

    // Abuse counters, per window.
    private long abuseWindowStart;
    private int resets;
    private int controlFrames;

    // Shutting down.
    private boolean firstGoAwaySent;
    private int goAwayLastStreamId = Integer.MAX_VALUE;
    private boolean peerGoingAway;
    private boolean outputShut;

    // Writing.
    /**
     * Where frames are assembled; bytes before {@link #sealedTo} are in the output queue and stay
     * as they are until written. Dropped while the connection is idle.
     */
    private ByteBuffer frames;
    private int sealedTo;
    private ByteBuffer block = ByteBuffer.allocate(4096);
    private boolean reading;
    private boolean flushScheduled;
    /** Streams with bytes to send and no window to send them in. */
    private int windowBlocked;
    /** The send timeout runs: output waits for the socket or a window. */
    private boolean sendClockRunning;
    /** Bytes were written or a window opened since the send clock was last armed. */
    private boolean sendProgress;
    private final Runnable flushTask = () -> {
        flushScheduled = false;
        flush();
    };

    private Http2Session(Wire wire, ServerSettings settings, Listening listening, InetSocketAddress remoteAddress) {
        this.wire = wire;
        this.loop = wire.loop;
        this.transport = wire.transport;
        this.settings = settings;
        this.limits = settings.http2();
        this.dispatcher = listening.dispatcher();
        this.drain = listening.drain();
        this.stats = listening.stats();
        this.observer = listening.observer();
        this.remoteAddress = remoteAddress;
        this.outbound = wire.outbound;
        this.timer = new ConnectionTimer(loop, settings.timeouts(), this::onTimeout);
        this.parser = new FrameParser(limits.maxFrameSize(), FrameParser.DEFAULT_MAX_SETTINGS_ENTRIES);
        this.decoder = new HpackDecoder(limits.headerTableSize(), settings.limits().headerBytes());
        this.requestFields = new RequestFields(settings.limits().headers());
        this.advertised = new Http2Settings(limits.headerTableSize(), false, limits.maxConcurrentStreams(), limits.initialWindowSize(),
                limits.maxFrameSize(), settings.limits().headerBytes());
    }

    /**
     * Takes over a connection whose client speaks HTTP/2: sends the server's SETTINGS, then reads
     * what the client sent so far, its preface first.
     *
     * @param unread bytes the connection read and did not use: the client preface and what followed
     * @param upgraded the request of an {@code Upgrade: h2c}, answered as stream 1, or {@code null}
     * @param upgradeSettings the client's {@code HTTP2-Settings} with that request
     */
    static Http2Session takeOver(Wire wire, ServerSettings settings, Listening listening, InetSocketAddress remoteAddress, ByteBuffer unread,
            HttpRequest upgraded, Http2Settings upgradeSettings) {
        Http2Session session = new Http2Session(wire, settings, listening, remoteAddress);
        wire.key.attach(session);
        listening.stats().http2Opened();
        session.start(unread, upgraded, upgradeSettings);
        return session;
    }

    private void start(ByteBuffer unread, HttpRequest upgraded, Http2Settings upgradeSettings) {
        FrameWriter.settings(room(FrameWriter.HEADER_LENGTH + 6 * 6), advertised);
        FrameWriter.windowUpdate(room(FrameWriter.HEADER_LENGTH + 4), 0, CONNECTION_WINDOW - Http2Settings.DEFAULTS.initialWindowSize());
        receiveWindow = CONNECTION_WINDOW;
        if (upgraded != null) {
            applyPeerSettings(upgradeSettings);
            peer = upgradeSettings;
            Http2Stream stream = open(1);
            stream.head = new dev.pier.http.RequestHead(upgraded.method(), upgraded.target(), dev.pier.http.HttpVersion.HTTP_2_0,
                    upgraded.headers());
            stream.remoteClosed = true;
            stream.startNanos = System.nanoTime();
            stats.request();
            dispatch(stream, new HttpRequest(upgraded.method(), upgraded.target(), dev.pier.http.HttpVersion.HTTP_2_0, upgraded.headers(),
                    upgraded.body()));
        }
        reading = true;
        try {
            consume(unread);
        } finally {
            reading = false;
        }
        flush();
        if (drain.draining()) {
            onDrain();
        }
    }

    EventLoop loop() {
        return loop;
    }

    ServerSettings.Timeouts timeouts() {
        return settings.timeouts();
    }

    boolean draining() {
        return drain.draining();
    }

    // ---- reading ---------------------------------------------------------------------------

    @Override
    public void onReady(int readyOps) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && state != State.CLOSED) {
            read();
        }
    }

    private void read() {
        if (state == State.LINGER) {
            discard();
            return;
        }
        ByteBuffer in = loop.readScratch();
        reading = true;
        try {
            int count;
            do {
                try {
                    count = transport.read(in);
                } catch (IOException e) {
                    log.debug("Read failed; closing {}", this, e);
                    close();
                    return;
                }
                if (count < 0) {
                    onEndOfInput();
                    return;
                }
                in.flip();
                consume(in);
                in.clear();
            } while (count > 0 && state == State.OPEN && transport.hasBufferedInput());
        } finally {
            reading = false;
        }
        flush();
    }

    /** Parses what came; a connection error sends GOAWAY and stops. */
    private void consume(ByteBuffer in) {
        if (state != State.OPEN) {
            return;
        }
        try {
            if (prefaceLeft > 0 && !matchPreface(in)) {
                return;
            }
            while (in.hasRemaining() && state == State.OPEN) {
                try {
                    parser.parse(in, this);
                } catch (Http2Exception e) {
                    if (e.isConnectionError()) {
                        connectionError(e.error(), e.getMessage());
                        return;
                    }
                    streamError(e.streamId(), e.error(), e.getMessage());
                }
            }
        } catch (ConnectionFailure e) {
            connectionError(e.error, e.getMessage());
        }
    }

    private boolean matchPreface(ByteBuffer in) {
        ByteBuffer expected = Preface.bytes();
        while (prefaceLeft > 0 && in.hasRemaining()) {
            if (in.get() != expected.get(Preface.LENGTH - prefaceLeft)) {
                log.debug("{} sent no HTTP/2 client preface", this);
                connectionError(ErrorCode.PROTOCOL_ERROR, "Invalid connection preface");
                return false;
            }
            prefaceLeft--;
        }
        return prefaceLeft == 0;
    }

    private void onEndOfInput() {
        if (!streams.isEmpty()) {
            stats.clientAborted();
        }
        close();
    }

    /** The first frame must be SETTINGS (§3.4); any other is a connection error. */
    private void requireSettingsFirst() {
        if (!peerSettingsSeen) {
            throw new ConnectionFailure(ErrorCode.PROTOCOL_ERROR, "The client preface must end with SETTINGS");
        }
    }

    @Override
    public void onHeadersStart(int streamId, boolean endStream) {
        requireSettingsFirst();
        headerStream = streamId;
        headerEndStream = endStream;
        continuations = 0;
        headerBlock.clear();
    }

    @Override
    public void onContinuation(int streamId) {
        if (++continuations > limits.maxContinuationFrames()) {
            throw new ConnectionFailure(ErrorCode.ENHANCE_YOUR_CALM, "More than " + limits.maxContinuationFrames() + " CONTINUATION frames");
        }
    }

    @Override
    public void onHeaderBlockFragment(int streamId, ByteBuffer fragment) {
        if (headerBlock.remaining() < fragment.remaining()) {
            int needed = headerBlock.position() + fragment.remaining();
            // A compressed block is no larger than what it decodes to, which the header limit bounds.
            if (needed > settings.limits().headerBytes()) {
                throw new ConnectionFailure(ErrorCode.ENHANCE_YOUR_CALM, "Header block larger than " + settings.limits().headerBytes() + " bytes");
            }
            headerBlock = ByteBuffer.allocate(Math.min(settings.limits().headerBytes(), Math.max(needed, headerBlock.capacity() * 2)))
                    .put(headerBlock.flip());
        }
        headerBlock.put(fragment);
    }

    @Override
    public void onHeadersEnd(int streamId) {
        Http2Stream stream = streams.get(streamId);
        boolean trailers = stream != null;
        // Trailers may have been on their way when Pier reset the stream: decoded, to keep HPACK in step, and dropped (§5.1).
        boolean late = !trailers && streamId <= lastStreamId && Boolean.TRUE.equals(recentlyClosed.get(streamId));
        if (!trailers && !late) {
            checkNewStreamId(streamId);
        }
        requestFields.begin(trailers || late);
        HpackDecoder.Result decoded;
        try {
            decoded = decoder.decode(headerBlock.flip(), requestFields);
        } catch (HpackException e) {
            throw new ConnectionFailure(ErrorCode.COMPRESSION_ERROR, e.getMessage());
        } finally {
            headerBlock.clear();
        }
        RequestFields.Outcome outcome = requestFields.end();
        if (late) {
            return;
        }
        if (trailers) {
            onTrailers(stream, decoded, outcome);
        } else {
            onNewStream(streamId, decoded, outcome);
        }
    }

    private void checkNewStreamId(int streamId) {
        if ((streamId & 1) == 0) {
            throw new ConnectionFailure(ErrorCode.PROTOCOL_ERROR, "Client stream id " + streamId + " is even");
        }
        if (streamId <= lastStreamId) {
            throw new ConnectionFailure(recentlyClosed.containsKey(streamId) ? ErrorCode.STREAM_CLOSED : ErrorCode.PROTOCOL_ERROR,
                    "HEADERS on stream " + streamId + ", not above " + lastStreamId);
        }
    }

    private void onNewStream(int streamId, HpackDecoder.Result decoded, RequestFields.Outcome outcome) {
        if (streamId > goAwayLastStreamId || peerGoingAway) {
            // After the final GOAWAY, new streams are not processed (§6.8); their fields were decoded to keep HPACK in step.
            return;
        }
        lastStreamId = streamId;
        if (slots >= limits.maxConcurrentStreams()) {
            countReset();
            reset(streamId, ErrorCode.REFUSED_STREAM);
            recentlyClosed.put(streamId, true);
            return;
        }
        Http2Stream stream = open(streamId);
        stream.remoteClosed = headerEndStream;
        stream.startNanos = System.nanoTime();
        stats.request();
        if (outcome instanceof RequestFields.Malformed malformed) {
            log.debug("Malformed request on {}: {}", stream, malformed.reason());
            stats.rejectedWith(400);
            streamError(streamId, ErrorCode.PROTOCOL_ERROR, malformed.reason());
            return;
        }
        if (decoded == HpackDecoder.Result.LIST_TOO_LARGE) {
            refuse(stream, 431, "Request header section too large");
            return;
        }
        if (outcome instanceof RequestFields.Refused refused) {
            refuse(stream, refused.status(), refused.reason());
            return;
        }
        RequestFields.Head head = (RequestFields.Head) outcome;
        stream.head = head.head();
        stream.contentLength = head.contentLength();
        if (stream.remoteClosed && stream.contentLength > 0) {
            stats.rejectedWith(400);
            streamError(streamId, ErrorCode.PROTOCOL_ERROR, "content-length " + stream.contentLength + " without DATA");
            return;
        }
        begin(stream);
    }

    /** A well-formed request: to its handler now if it has no body, else once the body has come or as it comes. */
    private void begin(Http2Stream stream) {
        HttpRequest headOnly = stream.headOnly();
        Expectation expectation = Expectation.of(headOnly.headers(), headOnly.version());
        if (expectation == Expectation.UNSUPPORTED) {
            refuse(stream, 417, "The only expectation this server meets is 100-continue.");
            return;
        }
        if (stream.remoteClosed) {
            dispatch(stream, headOnly);
            return;
        }
        HttpHandler handler = dispatcher.select(headOnly);
        long limit = handler == null ? -1 : handler.bodyLimit(headOnly);
        if (handler instanceof StreamingHandler streaming) {
            stream.streamLimit = limit < 0 ? Long.MAX_VALUE : limit;
            if (stream.contentLength > stream.streamLimit) {
                refuse(stream, 413, "Request body larger than " + stream.streamLimit + " bytes");
                return;
            }
            stream.continueOwed = expectation == Expectation.CONTINUE;
            openExchange(stream, headOnly, streaming);
            return;
        }
        limit = limit < 0 ? settings.limits().body() : Math.min(limit, ParserLimits.MAX_BODY);
        if (stream.contentLength > limit) {
            refuse(stream, 413, "Request body larger than " + limit + " bytes");
            return;
        }
        if (expectation == Expectation.CONTINUE) {
            if (!dispatcher.readsBody(headOnly)) {
                // Answered from the head; the body is refused with RST_STREAM(NO_ERROR) once the answer is out (§8.1).
                stream.bodyAbandoned = true;
                dispatch(stream, headOnly);
                return;
            }
            sendContinue(stream);
        }
        stream.gather(limit);
        armStreamTimer(stream);
    }

    /** To its handler: answered at once on the loop, or later by a worker or a streaming handler. */
    private void dispatch(Http2Stream stream, HttpRequest request) {
        stream.request = request;
        stream.handlerRunning = true;
        dispatcher.dispatch(stream, request);
    }

    /** A streaming handler takes the exchange now; its body, if any, comes as the handler reads it. */
    void openExchange(Http2Stream stream, HttpRequest request, StreamingHandler handler) {
        stream.request = request;
        stream.handler = handler;
        stream.handlerRunning = true;
        stream.exchange = new StreamedExchange(stream, request, handler,
                new StreamedBody(stream, stream.remoteClosed ? 0 : stream.contentLength));
        dispatcher.dispatchStreaming(stream, stream.exchange);
    }

    /** A request answered with an error status by the server itself. */
    private void refuse(Http2Stream stream, int status, String reason) {
        stats.rejectedWith(status);
        stream.bodyAbandoned = true;
        stream.dropGathered();
        HttpRequest request = stream.head == null ? null : stream.headOnly();
        HttpResponse response = request == null ? ErrorResponses.of(status, reason) : ErrorResponses.of(status, reason, request);
        respond(stream, request, null, response, null);
    }

    private void onTrailers(Http2Stream stream, HpackDecoder.Result decoded, RequestFields.Outcome outcome) {
        if (stream.remoteClosed) {
            streamError(stream.id, ErrorCode.STREAM_CLOSED, "HEADERS after END_STREAM");
            return;
        }
        if (!headerEndStream) {
            streamError(stream.id, ErrorCode.PROTOCOL_ERROR, "Trailers without END_STREAM");
            return;
        }
        if (outcome instanceof RequestFields.Malformed malformed) {
            streamError(stream.id, ErrorCode.PROTOCOL_ERROR, malformed.reason());
            return;
        }
        if (decoded == HpackDecoder.Result.COMPLETE && outcome instanceof RequestFields.Trailers fields) {
            stream.trailers(fields.fields());
        }
        endOfBody(stream);
    }

    @Override
    public void onDataStart(int streamId, int length, int dataLength) {
        requireSettingsFirst();
        receiveWindow -= length;
        if (receiveWindow < 0) {
            throw new ConnectionFailure(ErrorCode.FLOW_CONTROL_ERROR, "DATA beyond the connection window");
        }
        // The connection's window is handed back at once: the streams' windows bound what is buffered.
        receivedUnacknowledged += length;
        if (receivedUnacknowledged >= CONNECTION_WINDOW / 2) {
            FrameWriter.windowUpdate(room(FrameWriter.HEADER_LENGTH + 4), 0, (int) receivedUnacknowledged);
            receiveWindow += receivedUnacknowledged;
            receivedUnacknowledged = 0;
        }
        if (dataLength == 0 && length == 0) {
            countControlFrame();
        }
        Http2Stream stream = streams.get(streamId);
        if (stream == null) {
            unknownStreamData(streamId);
            return;
        }
        if (stream.remoteClosed) {
            streamError(streamId, ErrorCode.STREAM_CLOSED, "DATA after END_STREAM");
            return;
        }
        stream.receiveWindow -= length;
        if (stream.receiveWindow < 0) {
            streamError(streamId, ErrorCode.FLOW_CONTROL_ERROR, "DATA beyond the stream's window");
            return;
        }
        if (length > dataLength) {
            // Padding reaches no one: hand its share of the window back at once.
            bodyConsumed(stream, length - dataLength);
        }
    }

    private void unknownStreamData(int streamId) {
        if (streamId > lastStreamId) {
            throw new ConnectionFailure(ErrorCode.PROTOCOL_ERROR, "DATA on idle stream " + streamId);
        }
        Boolean resetByUs = recentlyClosed.get(streamId);
        if (resetByUs == null || !resetByUs) {
            // Closed after END_STREAM both ways, or long ago: the client should know.
            streamError(streamId, ErrorCode.STREAM_CLOSED, "DATA on closed stream " + streamId);
        }
    }

    @Override
    public void onData(int streamId, ByteBuffer data) {
        Http2Stream stream = streams.get(streamId);
        if (stream == null || stream.remoteClosed) {
            return;
        }
        int count = data.remaining();
        stream.received += count;
        if (stream.contentLength >= 0 && stream.received > stream.contentLength) {
            stats.rejectedWith(400);
            streamError(streamId, ErrorCode.PROTOCOL_ERROR, "More DATA than content-length " + stream.contentLength);
            return;
        }
        if (stream.bodyAbandoned) {
            bodyConsumed(stream, count);
        } else if (stream.gathering()) {
            if (!stream.gatherData(data)) {
                bodyConsumed(stream, count);
                refuse(stream, 413, "Request body larger than " + stream.gatherLimit() + " bytes");
                return;
            }
            bodyConsumed(stream, count);
            armStreamTimer(stream);
        } else if (stream.exchange != null) {
            if (stream.received > stream.streamLimit) {
                // As HTTP/1.1's streamed body: the handler's next read meets the 413, which it answers with.
                stats.rejectedWith(413);
                stream.bodyAbandoned = true;
                bodyConsumed(stream, count);
                stream.exchange.body().fail(new dev.pier.http.HttpException(413, "Request body larger than " + stream.streamLimit + " bytes"));
                return;
            }
            stream.keep(data, limits.initialWindowSize());
            armStreamTimer(stream);
            stream.bodyReadable();
        } else {
            bodyConsumed(stream, count);
        }
    }

    @Override
    public void onDataEnd(int streamId, boolean endStream) {
        Http2Stream stream = streams.get(streamId);
        if (endStream && stream != null && !stream.remoteClosed) {
            if (stream.contentLength >= 0 && stream.received != stream.contentLength) {
                stats.rejectedWith(400);
                streamError(streamId, ErrorCode.PROTOCOL_ERROR, "DATA of " + stream.received + " bytes, content-length " + stream.contentLength);
                return;
            }
            endOfBody(stream);
        }
    }

    private void endOfBody(Http2Stream stream) {
        stream.remoteClosed = true;
        stream.timer.disarm();
        if (stream.gathering() && !stream.bodyAbandoned) {
            HttpRequest head = stream.headOnly();
            dispatch(stream, new HttpRequest(head.method(), head.target(), head.version(), head.headers(), stream.gatheredBody()));
        } else if (stream.exchange != null) {
            stream.bodyReadable();
            armStreamTimer(stream);
        }
        if (stream.localClosed) {
            closeStream(stream, false);
        }
    }

    @Override
    public void onPriority(int streamId) {
        requireSettingsFirst();
        countControlFrame();
    }

    @Override
    public void onRstStream(int streamId, long errorCode) {
        requireSettingsFirst();
        if (streamId > lastStreamId) {
            throw new ConnectionFailure(ErrorCode.PROTOCOL_ERROR, "RST_STREAM on idle stream " + streamId);
        }
        stats.http2ResetReceived(ErrorCode.of(errorCode));
        Http2Stream stream = streams.get(streamId);
        countReset();
        if (stream != null) {
            stream.abort("The client reset the stream (" + ErrorCode.of(errorCode) + ")");
            endExchange(stream, false);
            forget(stream, false);
        }
    }

    @Override
    public void onSettings(List<Http2Settings.Setting> changes) {
        if (peerSettingsSeen) {
            countControlFrame();
        }
        peerSettingsSeen = true;
        // The parser checked each value's range (§6.5.2).
        applyPeerSettings(peer.with(changes));
        FrameWriter.settingsAck(room(FrameWriter.HEADER_LENGTH));
    }

    private void applyPeerSettings(Http2Settings updated) {
        long delta = (long) updated.initialWindowSize() - peer.initialWindowSize();
        if (delta != 0) {
            for (Http2Stream stream : streams.values()) {
                stream.sendWindow += delta;
                if (stream.sendWindow > Http2Settings.MAX_WINDOW_SIZE) {
                    throw new ConnectionFailure(ErrorCode.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE overflows stream " + stream.id);
                }
                if (delta > 0) {
                    windowOpened(stream);
                }
            }
        }
        encoder.setMaxTableSize((int) Math.min(Integer.MAX_VALUE, updated.headerTableSize()));
        peer = updated;
    }

    @Override
    public void onSettingsAck() {
        requireSettingsFirst();
        settingsAcked = true;
        armTimer();
    }

    @Override
    public void onPing(long data, boolean ack) {
        requireSettingsFirst();
        if (ack) {
            if (data == DRAIN_PING && firstGoAwaySent) {
                finalGoAway();
            }
            return;
        }
        countControlFrame();
        FrameWriter.ping(room(FrameWriter.HEADER_LENGTH + 8), data, true);
    }

    @Override
    public void onGoAway(int lastProcessed, long errorCode, ByteBuffer debugData) {
        requireSettingsFirst();
        stats.http2GoAwayReceived(ErrorCode.of(errorCode));
        peerGoingAway = true;
        if (errorCode != 0) {
            log.debug("{} went away: {} {}", this, ErrorCode.of(errorCode), StandardCharsets.UTF_8.decode(debugData));
        }
    }

    @Override
    public void onWindowUpdate(int streamId, int increment) {
        requireSettingsFirst();
        if (streamId == 0) {
            sendProgress = true;
            sendWindow += increment;
            if (sendWindow > Http2Settings.MAX_WINDOW_SIZE) {
                throw new ConnectionFailure(ErrorCode.FLOW_CONTROL_ERROR, "Connection window above 2^31-1");
            }
            return;
        }
        Http2Stream stream = streams.get(streamId);
        if (stream == null) {
            if (streamId > lastStreamId) {
                throw new ConnectionFailure(ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE on idle stream " + streamId);
            }
            return;
        }
        stream.sendWindow += increment;
        if (stream.sendWindow > Http2Settings.MAX_WINDOW_SIZE) {
            streamError(streamId, ErrorCode.FLOW_CONTROL_ERROR, "Stream window above 2^31-1");
            return;
        }
        windowOpened(stream);
    }

    // ---- streams ------------------------------------------------------------------------------

    private Http2Stream open(int streamId) {
        Http2Stream stream = new Http2Stream(this, streamId, peer.initialWindowSize(), limits.initialWindowSize());
        streams.put(streamId, stream);
        lastStreamId = Math.max(lastStreamId, streamId);
        slots++;
        stats.http2StreamOpened();
        armTimer();
        return stream;
    }

    /** The client's body bytes were taken by the handler (or dropped): let the client send as many more. */
    void bodyConsumed(Http2Stream stream, int bytes) {
        if (bytes <= 0 || stream.closed || stream.remoteClosed) {
            return;
        }
        stream.unacknowledged += bytes;
        if (stream.unacknowledged >= limits.initialWindowSize() / 2) {
            FrameWriter.windowUpdate(room(FrameWriter.HEADER_LENGTH + 4), stream.id, stream.unacknowledged);
            stream.receiveWindow += stream.unacknowledged;
            stream.unacknowledged = 0;
            requestFlush();
        }
    }

    void sendContinue(Http2Stream stream) {
        if (stream.closed || stream.headersSent) {
            return;
        }
        block.clear();
        responseFields.encodeInterim(100, block);
        writeHeaders(stream.id, block.flip(), false);
        requestFlush();
    }

    /** A whole response: HEADERS now, its body as DATA as the windows allow. */
    void respond(Http2Stream stream, HttpRequest request, HttpHandler handler, HttpResponse response, Throwable failure) {
        ResponseBody body = response.body();
        if (stream.closed || stream.headersSent) {
            body.release();
            releaseSlotIfDone(stream);
            return;
        }
        response = transport.addTransportHeaders(response);
        int status = response.status();
        boolean sendsBody = (request == null || request.method() != HttpMethod.HEAD) && !HttpStatus.forbidsContent(status);
        long length = sendsBody ? body.length() : response.contentLength();
        int headBytes;
        try {
            headBytes = writeResponseHead(stream, status, response.headers(), length, !sendsBody || length == 0);
        } catch (RuntimeException e) {
            log.error("Could not encode the response to {} on {}", request, stream, e);
            body.release();
            failed(stream, e);
            return;
        }
        stream.answering = new Exchange(remoteAddress, request, handler, status, response.headers(), headBytes, 0, stream.startNanos, 0, false,
                failure);
        if (sendsBody && length > 0) {
            queueBody(stream, body);
            stream.releaseAfter = body;
            stream.responseComplete = true;
            wantsToSend(stream);
        } else {
            body.release();
            localEnd(stream);
        }
        releaseSlotIfDone(stream);
        requestFlush();
    }

    private static void queueBody(Http2Stream stream, ResponseBody body) {
        if (body instanceof ResponseBody.Bytes bytes) {
            stream.sending.add(bytes.content().duplicate());
        } else if (body instanceof ResponseBody.FileRegion file) {
            stream.sending.add(file);
        } else if (body instanceof ResponseBody.Composite composite) {
            for (ResponseBody part : composite.parts()) {
                queueBody(stream, part);
            }
        }
    }

    /** A streamed response: HEADERS now; DATA as the handler writes. */
    void startStream(Http2Stream stream, HttpResponse head, StreamedResponse.Framing framing) {
        if (stream.closed) {
            return;
        }
        HttpResponse response = transport.addTransportHeaders(head);
        String declared = response.headers().first("Content-Length");
        long length = declared == null || framing == StreamedResponse.Framing.FRAMES ? -1 : Long.parseLong(declared.trim());
        int headBytes = writeResponseHead(stream, response.status(), response.headers(), length, false);
        stream.answering = new Exchange(remoteAddress, stream.request, stream.handler, response.status(), response.headers(), headBytes, 0,
                stream.startNanos, 0, false, null);
        armStreamTimer(stream);
        requestFlush();
    }

    private int writeResponseHead(Http2Stream stream, int status, HttpHeaders fields, long contentLength, boolean endStream) {
        String date = HttpDate.now();
        int needed = ResponseFields.maxHeadLength(fields, settings.serverName(), date);
        if (block.capacity() < needed) {
            block = ByteBuffer.allocate(needed);
        }
        block.clear();
        responseFields.encodeHead(status, fields, contentLength, settings.serverName(), date, block);
        int length = block.position();
        writeHeaders(stream.id, block.flip(), endStream);
        stream.headersSent = true;
        return length + FrameWriter.HEADER_LENGTH;
    }

    private void writeHeaders(int streamId, ByteBuffer headerBlockToSend, boolean endStream) {
        int maxFrame = peer.maxFrameSize();
        FrameWriter.headers(room(FrameWriter.headersLength(headerBlockToSend.remaining(), maxFrame)), streamId, headerBlockToSend, endStream, maxFrame);
    }

    private void windowOpened(Http2Stream stream) {
        sendProgress = true;
        unblock(stream);
        wantsToSend(stream);
    }

    private void unblock(Http2Stream stream) {
        if (stream.windowBlocked) {
            stream.windowBlocked = false;
            windowBlocked--;
        }
    }

    /** A stream has bytes to frame, or its end. */
    void wantsToSend(Http2Stream stream) {
        if (!stream.queuedForSending && !stream.closed && stream.hasSomethingToSend()) {
            stream.queuedForSending = true;
            ready.add(stream);
        }
        requestFlush();
    }

    /** END_STREAM is queued: the stream's exchange ends when it is written. */
    private void localEnd(Http2Stream stream) {
        stream.localClosed = true;
        stream.timer.disarm();
        releaseWhenWritten(stream);
        finishing.add(stream);
        finishingAt.add(outbound.written() + pendingOutput());
        if (!stream.remoteClosed) {
            // Answered before the whole request came: ask the client to stop sending it, without error (§8.1).
            stream.bodyAbandoned = true;
            reset(stream.id, ErrorCode.NO_ERROR);
            forget(stream, true);
            if (stream.exchange != null) {
                stream.exchange.body().fail(new UncheckedIOException(new IOException("The response ended before the request body")));
            }
        } else {
            closeStream(stream, false);
        }
    }

    /** A body holding files is released once what is queued of it is written; bytes need no release. */
    private void releaseWhenWritten(Http2Stream stream) {
        ResponseBody body = stream.releaseAfter;
        stream.releaseAfter = null;
        if (body instanceof ResponseBody.FileRegion || body instanceof ResponseBody.Composite) {
            seal();
            outbound.addRelease(body);
        } else if (body != null) {
            body.release();
        }
    }

    /** Both sides are done with the stream; its slot frees once its handler has finished too. */
    private void closeStream(Http2Stream stream, boolean byReset) {
        forget(stream, byReset);
    }

    private void forget(Http2Stream stream, boolean resetByUs) {
        if (streams.remove(stream.id) != null) {
            recentlyClosed.put(stream.id, resetByUs);
            stats.http2StreamClosed();
        }
        stream.closed = true;
        unblock(stream);
        stream.sending.clear();
        // Parts of its body may be queued already: released once they are written, or dropped.
        releaseWhenWritten(stream);
        stream.timer.disarm();
        releaseSlotIfDone(stream);
        armTimer();
    }

    private void releaseSlotIfDone(Http2Stream stream) {
        if (stream.closed && !stream.handlerRunning && !stream.slotReleased) {
            stream.slotReleased = true;
            slots--;
            if (slots == 0 && state == State.OPEN) {
                closeIfDone();
            }
        }
    }

    /** A handler finished without (yet) answering, or a reset stream's handler finally did. */
    void handlerFinished(Http2Stream stream) {
        releaseSlotIfDone(stream);
        armStreamTimer(stream);
    }

    /** The exchange ends: the observer hears of it, once. */
    private void endExchange(Http2Stream stream, boolean completed) {
        if (stream.ended) {
            return;
        }
        stream.ended = true;
        stats.requestEnded();
        if (stream.exchange != null && completed) {
            stream.exchange.ended();
        }
        if (stream.answering != null) {
            Exchange ended = stream.answering.ended(System.nanoTime(), completed, stream.answering.headBytes() + stream.framed);
            stream.answering = null;
            observer.exchangeEnded(ended);
        }
    }

    /** The stream's exchange cannot go on: reset it. */
    void failed(Http2Stream stream, Throwable cause) {
        if (cause != null) {
            stats.unexpectedFailure();
        }
        releaseSlotIfDone(stream);
        if (!stream.closed) {
            stream.abort("The exchange failed");
            reset(stream.id, ErrorCode.INTERNAL_ERROR);
            endExchange(stream, false);
            forget(stream, true);
        }
        requestFlush();
    }

    /** A stream error (§5.4.2): RST_STREAM, and the stream is closed; the connection goes on. */
    private void streamError(int streamId, ErrorCode error, String message) {
        log.debug("Stream error on stream {} of {}: {} {}", streamId, this, error, message);
        countReset();
        reset(streamId, error);
        Http2Stream stream = streams.get(streamId);
        if (stream != null) {
            stream.abort("Stream error: " + error);
            endExchange(stream, false);
            forget(stream, true);
        } else {
            recentlyClosed.put(streamId, true);
        }
    }

    private void reset(int streamId, ErrorCode error) {
        stats.http2ResetSent(error);
        FrameWriter.rstStream(room(FrameWriter.HEADER_LENGTH + 4), streamId, error);
        requestFlush();
    }

    void armStreamTimer(Http2Stream stream) {
        if (stream.closed) {
            stream.timer.disarm();
        } else if (stream.gathering() && !stream.remoteClosed || stream.waitsForBody()) {
            stream.timer.arm(ConnectionTimer.Kind.BODY);
        } else if (stream.awaitingAnswer) {
            stream.timer.arm(ConnectionTimer.Kind.RESPONSE);
        } else {
            stream.timer.disarm();
        }
    }

    /** A stream's clock ran out: a body that stopped coming (408), or a handler that never answered (503). */
    void streamTimedOut(Http2Stream stream, ConnectionTimer.Kind kind) {
        if (stream.closed) {
            return;
        }
        boolean body = kind == ConnectionTimer.Kind.BODY;
        stats.timedOut(body ? ServerStats.TimeoutKind.BODY : ServerStats.TimeoutKind.RESPONSE);
        int status = body ? 408 : 503;
        String reason = body ? "The request body was not received in time." : "The server did not answer in time.";
        stream.bodyAbandoned = true;
        if (stream.exchange != null) {
            stream.exchange.body().fail(new dev.pier.http.HttpException(status, reason));
            if (!stream.exchange.respondIfUnanswered(ErrorResponses.of(status, reason, stream.exchange.request()), null)) {
                failed(stream, null);
            }
        } else if (!stream.headersSent) {
            refuse(stream, status, reason);
        } else {
            failed(stream, null);
        }
        flush();
    }

    // ---- limits ----------------------------------------------------------------------------

    private void countReset() {
        rollAbuseWindow();
        if (++resets > limits.maxResets()) {
            throw new ConnectionFailure(ErrorCode.ENHANCE_YOUR_CALM, "More than " + limits.maxResets() + " stream resets in " + limits.abuseWindow());
        }
    }

    private void countControlFrame() {
        rollAbuseWindow();
        if (++controlFrames > limits.maxControlFrames()) {
            throw new ConnectionFailure(ErrorCode.ENHANCE_YOUR_CALM,
                    "More than " + limits.maxControlFrames() + " control frames in " + limits.abuseWindow());
        }
    }

    private void rollAbuseWindow() {
        long now = loop.now();
        if (now - abuseWindowStart > limits.abuseWindow().toNanos()) {
            abuseWindowStart = now;
            resets = 0;
            controlFrames = 0;
        }
    }

    // ---- writing ---------------------------------------------------------------------------

    /** Room for {@code needed} bytes of frames, in the buffer being assembled. */
    private ByteBuffer room(int needed) {
        if (frames != null && frames.remaining() >= needed) {
            return frames;
        }
        seal();
        frames = ByteBuffer.allocate(Math.max(FRAME_BUFFER, needed));
        sealedTo = 0;
        return frames;
    }

    /** Hands the frames assembled so far to the output queue; later ones go on in the same buffer. */
    private void seal() {
        if (frames != null && frames.position() > sealedTo) {
            ByteBuffer assembled = frames.duplicate().flip();
            outbound.add(assembled.position(sealedTo));
            sealedTo = frames.position();
        }
    }

    /** Everything queued was written: the buffer can start again, or go while no stream is open. */
    private void framesWritten() {
        if (frames != null && sealedTo == frames.position()) {
            if (slots == 0) {
                frames = null;
            } else {
                frames.clear();
                sealedTo = 0;
            }
        }
    }

    private void requestFlush() {
        if (reading || flushScheduled || state == State.CLOSED) {
            return;
        }
        flushScheduled = true;
        loop.execute(flushTask);
    }

    /** Frames what the streams have ready, and writes it all in as few writes as the socket allows. */
    private void flush() {
        if (state == State.CLOSED) {
            return;
        }
        while (true) {
            boolean full = pendingOutput() >= HIGH_WATER;
            boolean framed = frameData();
            seal();
            if (!write()) {
                return;
            }
            // On while the socket takes it all: unless every ready stream waits for a window.
            if (!outbound.isEmpty() || ready.isEmpty() || !framed && !full) {
                break;
            }
        }
        updateInterest();
        armTimer();
        if (state == State.LINGER && wire.allSent()) {
            shutdownOutput();
        }
    }

    /** Writes what the socket takes; false if that closed the connection. */
    private boolean write() {
        long written = wire.flush(this);
        if (written < 0) {
            close();
            return false;
        }
        if (outbound.isEmpty()) {
            framesWritten();
        }
        if (written > 0) {
            sendProgress = true;
            while (!finishing.isEmpty() && finishingAt.peek() <= outbound.written()) {
                finishingAt.poll();
                endExchange(finishing.poll(), true);
            }
        }
        return true;
    }

    /**
     * Moves DATA from the ready streams into the output, a frame per stream by turns, as far as
     * the windows allow and until enough waits for the socket.
     *
     * @return whether anything was framed
     */
    private boolean frameData() {
        boolean framed = false;
        while (!ready.isEmpty() && pendingOutput() < HIGH_WATER) {
            Http2Stream stream = ready.poll();
            stream.queuedForSending = false;
            if (stream.closed) {
                continue;
            }
            Framed result = frameOne(stream);
            if (result == Framed.STREAM_BLOCKED && !stream.sending.isEmpty() && !stream.windowBlocked) {
                stream.windowBlocked = true;
                windowBlocked++;
            }
            if (result == Framed.CONNECTION_BLOCKED) {
                stream.queuedForSending = true;
                ready.addFirst(stream);
                break;
            }
            framed |= result == Framed.MORE || result == Framed.DONE;
            if (result == Framed.MORE) {
                stream.queuedForSending = true;
                ready.add(stream);
            }
        }
        return framed;
    }

    /** Bytes framed and not yet written. */
    private long pendingOutput() {
        return outbound.queuedBytes() + (frames == null ? 0 : frames.position() - sealedTo);
    }

    private enum Framed { MORE, DONE, STREAM_BLOCKED, CONNECTION_BLOCKED }

    private Framed frameOne(Http2Stream stream) {
        Object next = stream.sending.peek();
        if (next == null) {
            if (stream.responseComplete && !stream.localClosed) {
                FrameWriter.dataHeader(room(FrameWriter.HEADER_LENGTH), stream.id, 0, true);
                localEnd(stream);
                return Framed.DONE;
            }
            return Framed.STREAM_BLOCKED;
        }
        if (next instanceof Http2Stream.Trailers trailers) {
            stream.sending.poll();
            int needed = ResponseFields.maxFieldsLength(trailers.fields());
            if (block.capacity() < needed) {
                block = ByteBuffer.allocate(needed);
            }
            block.clear();
            responseFields.encodeTrailers(trailers.fields(), block);
            writeHeaders(stream.id, block.flip(), true);
            localEnd(stream);
            return Framed.DONE;
        }
        long window = Math.min(stream.sendWindow, sendWindow);
        if (window <= 0) {
            return stream.sendWindow <= 0 ? Framed.STREAM_BLOCKED : Framed.CONNECTION_BLOCKED;
        }
        int allowed = (int) Math.min(window, peer.maxFrameSize());
        int count;
        boolean lastItem = stream.sending.size() == 1 && stream.responseComplete;
        boolean endStream;
        if (next instanceof ByteBuffer bytes) {
            count = Math.min(allowed, bytes.remaining());
            endStream = lastItem && count == bytes.remaining();
            if (count <= COPY_LIMIT) {
                ByteBuffer out = room(FrameWriter.HEADER_LENGTH + count);
                FrameWriter.dataHeader(out, stream.id, count, endStream);
                out.put(out.position(), bytes, bytes.position(), count);
                out.position(out.position() + count);
            } else {
                FrameWriter.dataHeader(room(FrameWriter.HEADER_LENGTH), stream.id, count, endStream);
                seal();
                outbound.add(bytes.slice(bytes.position(), count));
            }
            bytes.position(bytes.position() + count);
            if (!bytes.hasRemaining()) {
                stream.sending.poll();
            }
        } else {
            ResponseBody.FileRegion file = (ResponseBody.FileRegion) next;
            long left = file.count() - stream.fileOffset;
            count = (int) Math.min(allowed, left);
            endStream = lastItem && count == left;
            FrameWriter.dataHeader(room(FrameWriter.HEADER_LENGTH), stream.id, count, endStream);
            seal();
            outbound.addPart(file, file.position() + stream.fileOffset, count);
            stream.fileOffset += count;
            if (stream.fileOffset == file.count()) {
                stream.sending.poll();
                stream.fileOffset = 0;
            }
        }
        stream.sendWindow -= count;
        sendWindow -= count;
        stream.framed += count;
        if (stream.exchange != null && stream.exchange.response() != null) {
            stream.exchange.response().onWritten();
        }
        if (endStream) {
            localEnd(stream);
            return Framed.DONE;
        }
        return stream.sending.isEmpty() && !stream.responseComplete ? Framed.DONE : Framed.MORE;
    }

    private void updateInterest() {
        if (state == State.CLOSED) {
            return;
        }
        int ops = outbound.queuedBytes() > HIGH_WATER ? 0 : SelectionKey.OP_READ;
        if (!outbound.isEmpty()) {
            ops |= SelectionKey.OP_WRITE;
        }
        wire.interest(ops, false);
    }

    // ---- timers, shutdown, closing ---------------------------------------------------------

    private void armTimer() {
        if (state == State.CLOSED) {
            return;
        }
        if (!wire.allSent() || windowBlocked > 0 || !ready.isEmpty() && sendWindow <= 0) {
            // A client that stops reading, or never opens a window again, is cut after the send timeout without progress.
            if (!sendClockRunning || sendProgress) {
                timer.arm(ConnectionTimer.Kind.SEND);
            }
            sendClockRunning = true;
            sendProgress = false;
            return;
        }
        sendClockRunning = false;
        if (state == State.LINGER) {
            timer.arm(ConnectionTimer.Kind.LINGER);
        } else if (!settingsAcked) {
            timer.arm(ConnectionTimer.Kind.HEADER);
        } else if (slots == 0) {
            timer.arm(ConnectionTimer.Kind.KEEP_ALIVE);
        } else {
            timer.disarm();
        }
    }

    private void onTimeout(ConnectionTimer.Kind kind) {
        switch (kind) {
            case SEND -> {
                log.debug("{} stopped reading; closing", this);
                stats.timedOut(ServerStats.TimeoutKind.SEND);
                close();
            }
            case HEADER -> {
                log.debug("{} did not acknowledge SETTINGS in time", this);
                stats.timedOut(ServerStats.TimeoutKind.HEADER);
                connectionError(ErrorCode.SETTINGS_TIMEOUT, "SETTINGS not acknowledged");
            }
            case KEEP_ALIVE -> {
                stats.timedOut(ServerStats.TimeoutKind.KEEP_ALIVE);
                goAway(lastStreamId, ErrorCode.NO_ERROR, "Idle");
                goingAway();
            }
            default -> close();
        }
    }

    /**
     * A graceful shutdown began: GOAWAY with the largest stream id first, so streams already on
     * their way are still taken, and a PING; once its answer shows the client has seen the GOAWAY,
     * the final GOAWAY names the last stream taken (§6.8). Open streams finish; the connection
     * closes when the last has.
     */
    @Override
    public void onDrain() {
        if (!drain.draining() || state != State.OPEN || firstGoAwaySent) {
            return;
        }
        firstGoAwaySent = true;
        goAway(Http2Settings.MAX_WINDOW_SIZE, ErrorCode.NO_ERROR, "Shutting down");
        FrameWriter.ping(room(FrameWriter.HEADER_LENGTH + 8), DRAIN_PING, false);
        for (Http2Stream stream : new ArrayList<>(streams.values())) {
            if (stream.exchange != null) {
                stream.exchange.shutdown();
            }
        }
        flush();
    }

    private void finalGoAway() {
        if (goAwayLastStreamId != Http2Settings.MAX_WINDOW_SIZE && goAwayLastStreamId <= lastStreamId) {
            return;
        }
        goAway(lastStreamId, ErrorCode.NO_ERROR, "Shutting down");
        closeIfDone();
    }

    private void goAway(int last, ErrorCode error, String debug) {
        goAwayLastStreamId = last;
        stats.http2GoAwaySent(error);
        byte[] debugData = debug.getBytes(StandardCharsets.UTF_8);
        FrameWriter.goAway(room(FrameWriter.HEADER_LENGTH + 8 + debugData.length), last, error, debugData);
        requestFlush();
    }

    /** After the final GOAWAY, or the client's: once no stream is left, the connection ends. */
    private void closeIfDone() {
        if (slots == 0 && state == State.OPEN && (peerGoingAway || goAwayLastStreamId != Http2Settings.MAX_WINDOW_SIZE)) {
            goingAway();
        }
    }

    /** A connection error (§5.4.1): GOAWAY with the last stream processed, then the connection ends. */
    private void connectionError(ErrorCode error, String message) {
        if (state != State.OPEN) {
            return;
        }
        log.debug("Connection error on {}: {} {}", this, error, message);
        goAway(lastStreamId, error, message);
        for (Http2Stream stream : new ArrayList<>(streams.values())) {
            stream.abort("Connection error: " + error);
            endExchange(stream, false);
            forget(stream, false);
        }
        goingAway();
    }

    /** Writes what is queued, then shuts the output and lingers briefly, so the client reads the GOAWAY rather than a reset. */
    private void goingAway() {
        if (state != State.OPEN) {
            return;
        }
        state = State.LINGER;
        requestFlush();
    }

    private void shutdownOutput() {
        if (outputShut) {
            return;
        }
        outputShut = true;
        if (!wire.shutdownOutput()) {
            close();
            return;
        }
        timer.arm(ConnectionTimer.Kind.LINGER);
        updateInterest();
    }

    private void discard() {
        if (!wire.discardInput()) {
            close();
        }
    }

    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        timer.disarm();
        for (Http2Stream stream : new ArrayList<>(streams.values())) {
            stream.abort("The connection was closed");
            endExchange(stream, false);
            forget(stream, false);
        }
        for (Http2Stream stream : finishing) {
            endExchange(stream, false);
        }
        finishing.clear();
        wire.close(false);
        stats.http2Closed();
    }

    @Override
    public String toString() {
        return "HTTP/2 connection from " + remoteAddress;
    }
}
