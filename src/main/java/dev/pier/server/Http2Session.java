package dev.pier.server;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.HttpHandler;
import dev.pier.handler.StreamingHandler;
import dev.pier.http.Expectation;
import dev.pier.http.HttpException;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.HttpStatus;
import dev.pier.http.HttpVersion;
import dev.pier.http.ParserLimits;
import dev.pier.http.RequestHead;
import dev.pier.http.ResponseBody;
import dev.pier.http2.ErrorCode;
import dev.pier.http2.FrameListener;
import dev.pier.http2.FrameParser;
import dev.pier.http2.Http2Exception;
import dev.pier.http2.Http2Settings;
import dev.pier.http2.Preface;
import dev.pier.http2.RequestFields;
import dev.pier.http2.hpack.HpackDecoder;
import dev.pier.http2.hpack.HpackException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * handler's body as it is gathered), so a slow handler costs at most a window's bytes. Writing is
 * {@link Http2Output}'s, flushed once per read or per batch of loop tasks; while
 * {@link Http2Output#HIGH_WATER} bytes wait for the socket, reading pauses, which bounds what a
 * peer that floods control frames and reads nothing can make Pier queue.
 */
@Slf4j
final class Http2Session implements Selectable, FrameListener {

    /** The connection's receive window, opened at once to the largest: each stream's window bounds the buffering. */
    private static final int CONNECTION_WINDOW = Http2Settings.MAX_WINDOW_SIZE;
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
    private final ConnectionTimer timer;

    private final FrameParser parser;
    private final HpackDecoder decoder;
    private final Http2Output output;
    private final RequestFields requestFields;
    private final Http2Settings advertised;

    private final Map<Integer, Http2Stream> streams = new HashMap<>();
    /** Ids of streams recently closed, oldest first; {@code true} if Pier reset it, so DATA still in flight is expected. */
    private final Map<Integer, Boolean> recentlyClosed = new LinkedHashMap<>(16, 0.75f, false) {
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
    private long receiveWindow = Http2Settings.DEFAULTS.initialWindowSize();
    private long receivedUnacknowledged;

    // The header block being read.
    private boolean headerEndStream;
    private int continuations;
    /** The header block being gathered; none held while the connection is idle. */
    private final ByteBuffer noBlock = ByteBuffer.allocate(0);
    private ByteBuffer headerBlock = noBlock;

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
    private boolean reading;
    private boolean flushScheduled;
    /** The send timeout runs: output waits for the socket or a window. */
    private boolean sendClockRunning;
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
        this.timer = new ConnectionTimer(loop, settings.timeouts(), this::onTimeout);
        this.output = new Http2Output(wire, new Http2Output.Ends() {
            @Override
            public void endFramed(Http2Stream stream) {
                localEnd(stream);
            }

            @Override
            public void endWritten(Http2Stream stream) {
                endExchange(stream, true);
            }

            @Override
            public void fileFailed(Http2Stream stream, IOException failure) {
                log.warn("Could not read the file answering {} on {}", stream.request, stream, failure);
                failed(stream, failure);
            }
        }, settings.serverName());
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
        output.settings(advertised);
        output.windowUpdate(0, CONNECTION_WINDOW - Http2Settings.DEFAULTS.initialWindowSize());
        receiveWindow = CONNECTION_WINDOW;
        if (upgraded != null) {
            applyPeerSettings(upgradeSettings);
            peer = upgradeSettings;
            Http2Stream stream = open(1);
            HttpRequest request = new HttpRequest(upgraded.method(), upgraded.target(), HttpVersion.HTTP_2_0, upgraded.headers(), upgraded.body());
            stream.head = new RequestHead(request.method(), request.target(), request.version(), request.headers());
            stream.remoteClosed = true;
            stream.startNanos = System.nanoTime();
            stats.request();
            dispatch(stream, request);
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

    InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    boolean isAuthoritativeFor(HttpRequest request) {
        return transport.isAuthoritativeFor(request);
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
            headerBlock = ByteBuffer.allocate(Math.min(settings.limits().headerBytes(), Math.max(Math.max(needed, 1024), headerBlock.capacity() * 2)))
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
        HttpHandler handler = dispatcher.select(stream, headOnly);
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
            if (!dispatcher.readsBody(stream, headOnly)) {
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
            output.windowUpdate(0, (int) receivedUnacknowledged);
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
                stream.exchange.body().fail(new HttpException(413, "Request body larger than " + stream.streamLimit + " bytes"));
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
            forget(stream, false);
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
        output.settingsAck();
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
                    output.windowOpened(stream);
                }
            }
        }
        output.peerSettings(updated);
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
        output.ping(data, true);
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
            if (!output.connectionWindowOpened(increment)) {
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
        output.windowOpened(stream);
        requestFlush();
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
            output.windowUpdate(stream.id, stream.unacknowledged);
            stream.receiveWindow += stream.unacknowledged;
            stream.unacknowledged = 0;
            requestFlush();
        }
    }

    void sendContinue(Http2Stream stream) {
        if (stream.closed || stream.headersSent) {
            return;
        }
        output.interim(stream.id, 100);
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
            headBytes = output.head(stream.id, status, response.headers(), length, !sendsBody || length == 0);
            stream.headersSent = true;
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
        int headBytes = output.head(stream.id, response.status(), response.headers(), length, false);
        stream.headersSent = true;
        stream.answering = new Exchange(remoteAddress, stream.request, stream.handler, response.status(), response.headers(), headBytes, 0,
                stream.startNanos, 0, false, null);
        armStreamTimer(stream);
        requestFlush();
    }

    /** A stream has bytes to frame, or its end. */
    void wantsToSend(Http2Stream stream) {
        output.ready(stream);
        requestFlush();
    }

    /** END_STREAM is queued: the stream's exchange ends when it is written. */
    private void localEnd(Http2Stream stream) {
        stream.localClosed = true;
        stream.timer.disarm();
        output.release(stream);
        output.endQueued(stream);
        if (!stream.remoteClosed) {
            // Answered before the whole request came: ask the client to stop sending it, without error (§8.1).
            stream.bodyAbandoned = true;
            reset(stream.id, ErrorCode.NO_ERROR);
            forget(stream, true);
            if (stream.exchange != null) {
                stream.exchange.body().fail(new UncheckedIOException(new IOException("The response ended before the request body")));
            }
        } else {
            forget(stream, false);
        }
    }

    /** The stream is closed (both sides done, or reset); its slot frees once its handler has finished too. */
    private void forget(Http2Stream stream, boolean resetByUs) {
        if (streams.remove(stream.id) != null) {
            recentlyClosed.put(stream.id, resetByUs);
            stats.http2StreamClosed();
        }
        stream.closed = true;
        output.forget(stream);
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
        output.rstStream(streamId, error);
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
        stream.bodyAbandoned = true;
        if (stream.exchange != null) {
            if (!stream.exchange.timedOut(body)) {
                failed(stream, null);
            }
        } else if (!stream.headersSent) {
            HttpException timedOut = StreamedExchange.timeout(body);
            refuse(stream, timedOut.status(), timedOut.getMessage());
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

    private void requestFlush() {
        if (reading || flushScheduled || state == State.CLOSED) {
            return;
        }
        flushScheduled = true;
        loop.execute(flushTask);
    }

    /** Writes what is framed and frames what the streams have ready, in as few writes as the socket allows. */
    private void flush() {
        if (state == State.CLOSED) {
            return;
        }
        if (!output.flush(slots == 0)) {
            close();
            return;
        }
        if (slots == 0 && headerBlock.position() == 0) {
            headerBlock = noBlock;
        }
        updateInterest();
        armTimer();
        if (state == State.LINGER && wire.allSent()) {
            shutdownOutput();
        }
    }

    private void updateInterest() {
        if (state == State.CLOSED) {
            return;
        }
        int ops = output.backedUp() ? 0 : SelectionKey.OP_READ;
        if (output.hasPending()) {
            ops |= SelectionKey.OP_WRITE;
        }
        wire.interest(ops, false);
    }

    // ---- timers, shutdown, closing ---------------------------------------------------------

    private void armTimer() {
        if (state == State.CLOSED) {
            return;
        }
        boolean progressed = output.progressed();
        if (output.waiting()) {
            // A client that stops reading, or never opens a window again, is cut after the send timeout without progress.
            if (!sendClockRunning || progressed) {
                timer.arm(ConnectionTimer.Kind.SEND);
            }
            sendClockRunning = true;
            return;
        }
        sendClockRunning = false;
        if (state == State.LINGER || awaitingDrainPing()) {
            // A client may never answer the shutdown's PING: the final GOAWAY goes all the same.
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
            case LINGER -> {
                if (awaitingDrainPing()) {
                    finalGoAway();
                    flush();
                } else {
                    close();
                }
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
        output.ping(DRAIN_PING, false);
        for (Http2Stream stream : new ArrayList<>(streams.values())) {
            if (stream.exchange != null) {
                stream.exchange.shutdown();
            }
        }
        flush();
    }

    private boolean awaitingDrainPing() {
        return firstGoAwaySent && goAwayLastStreamId == Http2Settings.MAX_WINDOW_SIZE && state == State.OPEN;
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
        output.goAway(last, error, debugData);
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
        for (Http2Stream stream : output.unfinished()) {
            endExchange(stream, false);
        }
        wire.close(false);
        output.close();
        stats.http2Closed();
    }

    @Override
    public String toString() {
        return "HTTP/2 connection from " + remoteAddress;
    }
}
