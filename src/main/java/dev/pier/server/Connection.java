package dev.pier.server;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.HttpHandler;
import dev.pier.handler.StreamingHandler;
import dev.pier.http1.BodyHandling;
import dev.pier.http2.Http2Exception;
import dev.pier.http2.Http2Settings;
import dev.pier.http2.Preface;
import dev.pier.http.Expectation;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.HttpStatus;
import dev.pier.http.HttpDate;
import dev.pier.http.ParserLimits;
import dev.pier.http.HttpVersion;
import dev.pier.http1.ParseResult;
import dev.pier.http.RequestHead;
import dev.pier.http1.RequestParser;
import dev.pier.http.ResponseBody;
import dev.pier.http1.ResponseHead;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import lombok.extern.slf4j.Slf4j;

/**
 * One client connection and its HTTP/1.1 state machine. Every method runs on the owning loop's
 * thread, so no field needs synchronisation.
 *
 * <p>One request is handled at a time; bytes of pipelined requests that follow it wait in the read
 * buffer until its response is written, which keeps responses in request order. While a response
 * is being written the connection does not read: a client that stops reading stops sending too.
 *
 * <p>A {@link StreamingHandler} gets its exchange as soon as the head is parsed
 * ({@link StreamedExchange}): the connection then reads the body only while the handler asks for
 * it, and writes the response as the handler produces it; the exchange's body and response reach
 * the connection through {@link StreamedBody.BodyChannel} and {@link StreamedResponse.Output}.
 *
 * <p>Bytes go through a {@link Transport}, plain or TLS; the connection asks it, besides reading
 * and writing, whether it holds decrypted input the selector will not report again and encrypted
 * output not yet written, and lets it add to the selector's interest ops.
 */
@Slf4j
final class Connection implements Selectable, RequestCarrier {

    /**
     * Where a connection stands. Transitions:
     * <ul>
     * <li>{@code READ_HEAD -> READ_BODY} when a head that announces a body is parsed;</li>
     * <li>{@code READ_HEAD | READ_BODY -> WRITE} when the request is complete and its handler
     *     answered on the loop, or when the request is rejected (then closing after the write);</li>
     * <li>{@code READ_BODY -> WRITE | HANDLE} when a client waiting for {@code 100 Continue} is
     *     answered from the head, its body unread (then closing after the write);</li>
     * <li>{@code READ_HEAD -> HANDLE} when a streaming handler takes the exchange at its head;
     *     in {@code HANDLE} and {@code WRITE} the connection reads its body while the handler asks;</li>
     * <li>{@code HANDLE -> WRITE} when a streaming handler starts a streamed response, which
     *     stays in {@code WRITE} until the handler ends it and it is written;</li>
     * <li>{@code READ_HEAD | READ_BODY -> HANDLE} when the request went to a worker;
     *     {@code HANDLE -> WRITE} when the worker's answer arrives;</li>
     * <li>{@code WRITE -> READ_HEAD} when the response is written and the connection persists;</li>
     * <li>{@code WRITE -> LINGER} when it must close and the client has not closed its side, so may
     *     still be sending: output is shut down and input drained briefly, so the client reads the
     *     response instead of a reset;</li>
     * <li>{@code any -> CLOSED} on close, I/O error, timeout or server stop.</li>
     * </ul>
     * A TLS connection starts in {@code READ_HEAD} with its handshake under way in the
     * {@link Transport}: no byte reaches the parser until it has finished, and its own timeout
     * runs meanwhile. A plain HTTP request on a TLS port goes {@code READ_HEAD -> WRITE} with a
     * plain-text 400, then closes.
     */
    enum State { READ_HEAD, READ_BODY, HANDLE, WRITE, LINGER, CLOSED }

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SWITCHING_TO_H2C = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final EventLoop loop;
    /** The socket, plain or through TLS; the connection never touches the channel itself. */
    private final Transport transport;
    private final ServerSettings settings;
    private final Dispatcher dispatcher;
    private final Drain drain;
    private final ServerStats stats;
    private final RequestParser parser;
    private final OutboundQueue outbound;
    private final InboundBuffer inbound;
    private final ConnectionTimer timer;
    private final ExchangeObserver observer;
    private final InetSocketAddress remoteAddress;
    private final Listening listening;
    /** The socket side, which an {@link Http2Session} takes over if the connection turns into one. */
    private final Wire wire;

    private State state = State.READ_HEAD;
    private boolean closeAfterWrite;
    /** Whether the request being answered asked for the connection to close (HTTP/1.0, or {@code Connection: close}). */
    private boolean clientAskedToClose;
    private boolean inputClosed;
    /** The request being answered was answered from its head: its body was never read. */
    private boolean bodyUnread;
    /** Requests taken on this connection, for {@link ServerSettings.Connections#keepAliveRequests()}. */
    private int requests;
    /** Set while {@link #parseBuffered} runs, so a response written at once does not re-enter it. */
    private boolean parsing;
    /** When the first byte of the request being read or answered arrived. */
    private long requestStart;
    /** The exchange whose response is being written, for the observer. */
    private Exchange answering;
    /** Where {@link #answering}'s response starts in {@link OutboundQueue#written()}: after what was queued ahead of it (an interim {@code 100 Continue}). */
    private long answeringStart;
    /** A request was taken and has not ended yet: counted in {@link ServerStats#requestsInFlight()}. */
    private boolean requestOpen;
    /** The transport's handshake (TLS) has not finished: the handshake timeout runs, not keep-alive's. */
    private boolean handshaking;
    /** The streaming handler chosen for the head just parsed, when its body is to be streamed. */
    private StreamingHandler chosenStreaming;
    /** The exchange of a streaming handler, while it lasts. */
    private Http1Stream stream;
    /** Set while {@link #write} runs: a write asked for meanwhile (by a handler called back from it) loops instead of nesting. */
    private boolean writing;
    private boolean writeAgain;

    private Connection(EventLoop loop, SocketChannel channel, SelectionKey key, ServerSettings settings, Listening listening,
            InetSocketAddress remoteAddress) {
        this.loop = loop;
        this.transport = listening.tls() == null ? new PlainTransport(channel) : listening.tls().open(loop, channel, this::resumeTransport);
        this.handshaking = !transport.isEstablished();
        this.settings = settings;
        this.dispatcher = listening.dispatcher();
        this.drain = listening.drain();
        this.stats = listening.stats();
        this.observer = listening.observer();
        this.remoteAddress = remoteAddress;
        this.listening = listening;
        this.parser = new RequestParser(settings.limits(), this::bodyHandling);
        this.outbound = new OutboundQueue(loop.fileLead(), remoteAddress.getAddress());
        this.inbound = new InboundBuffer(loop, settings.limits().headerBytes() + 2);
        this.timer = new ConnectionTimer(loop, settings.timeouts(), this::onTimeout);
        this.wire = new Wire(loop, transport, key, outbound, listening, remoteAddress);
    }

    /**
     * Registers an accepted channel with the loop; runs on that loop's thread. The acceptor has
     * counted it open already, so each way out counts it closed.
     */
    static void open(EventLoop loop, SocketChannel channel, InetSocketAddress remote, ServerSettings settings, Listening listening) {
        SelectionKey key;
        try {
            key = channel.register(loop.selector(), SelectionKey.OP_READ);
        } catch (IOException e) {
            log.debug("Could not register an accepted connection", e);
            closeQuietly(channel);
            loop.released();
            listening.closed(remote);
            return;
        }
        Connection connection;
        try {
            connection = new Connection(loop, channel, key, settings, listening, remote);
        } catch (RuntimeException e) {
            // A TLS context that cannot make an engine, say: this connection cannot be served, the next may.
            log.error("Could not set up the connection from {}; closing it", remote, e);
            key.cancel();
            closeQuietly(channel);
            loop.released();
            listening.closed(remote);
            return;
        }
        key.attach(connection);
        connection.timer.arm(connection.handshaking ? ConnectionTimer.Kind.HANDSHAKE : ConnectionTimer.Kind.KEEP_ALIVE);
        if (listening.drain().draining()) {
            // Accepted in the turn the drain began, after this loop's beginDrain ran: nothing else will close
            // it, and idle it would hold the drain until its keep-alive timeout. Take what the client has sent,
            // so a request already here is answered (with Connection: close), then drain it like the others.
            connection.read();
            connection.onDrain();
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean isAuthoritativeFor(HttpRequest request) {
        return transport.isAuthoritativeFor(request);
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    State state() {
        return state;
    }

    @Override
    public void onReady(int readyOps) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            write();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && state != State.CLOSED) {
            read();
        }
    }

    private void read() {
        if (state == State.LINGER) {
            drain();
            return;
        }
        try {
            int count;
            do {
                try {
                    count = inbound.readFrom(transport);
                } catch (PlainHttpRequestException e) {
                    requestStart = loop.now();
                    reject(400, "The plain HTTP request was sent to HTTPS port");
                    return;
                } catch (IOException e) {
                    log.debug("Read failed; closing {}", this, e);
                    stats.clientAborted();
                    close();
                    return;
                }
                if (count < 0) {
                    onEndOfInput();
                    return;
                }
                if (handshaking && transport.isEstablished()) {
                    handshaking = false;
                    timer.arm(ConnectionTimer.Kind.KEEP_ALIVE);
                    if (settings.http2() != null && "h2".equals(transport.applicationProtocol())) {
                        handOver(null, null);
                        return;
                    }
                }
                if (state == State.READ_BODY) {
                    timer.arm(ConnectionTimer.Kind.BODY);
                }
                if (readsStreamedBody()) {
                    armStreamTimer();
                    stream.onBytes();
                } else {
                    parseBuffered();
                }
                // Bytes the transport decrypted beyond what the buffer took: the selector will not report them again.
            } while (count > 0 && transport.hasBufferedInput() && (state == State.READ_HEAD || state == State.READ_BODY || wantsStreamedBody()));
        } finally {
            inbound.settle(state != State.CLOSED && state != State.LINGER);
        }
    }

    /** Parses and dispatches buffered requests while the connection is free to take one. */
    private void parseBuffered() {
        parsing = true;
        try {
            parseWhileReady();
        } finally {
            parsing = false;
        }
    }

    private void parseWhileReady() {
        while (state == State.READ_HEAD || state == State.READ_BODY) {
            boolean wasIdle = !parser.inProgress();
            if (wasIdle) {
                requestStart = loop.now();
                if (requests == 0 && sniffsPreface()) {
                    return;
                }
            }
            ParseResult result = inbound.parse(parser);
            if (result instanceof ParseResult.Parsed parsed) {
                parser.reset();
                take(parsed.request());
            } else if (result instanceof ParseResult.Streaming streaming) {
                takeStreaming(streaming.request());
            } else if (result instanceof ParseResult.Rejected rejected) {
                log.debug("Rejected a request on {}: {} {}", this, rejected.status(), rejected.reason());
                reject(rejected.status(), rejected.reason());
            } else {
                awaitMore(wasIdle);
                return;
            }
        }
        updateInterest();
    }

    /**
     * On a plain connection's first bytes: a client that knows the server speaks HTTP/2 starts
     * with its preface (RFC 9113 §3.3), and the connection becomes an {@link Http2Session}.
     *
     * @return whether parsing stops: the connection was handed over, or the bytes so far could still be a preface
     */
    private boolean sniffsPreface() {
        if (settings.http2() == null || !(transport instanceof PlainTransport) || !inbound.hasBytes()) {
            return false;
        }
        switch (Preface.match(inbound.unread())) {
            case COMPLETE -> {
                handOver(null, null);
                return true;
            }
            case PARTIAL -> {
                timer.arm(ConnectionTimer.Kind.HEADER);
                updateInterest();
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * An HTTP/1.1 request asking to continue in HTTP/2 over this plain connection ({@code Upgrade: h2c}
     * with {@code HTTP2-Settings}, RFC 7540 §3.2): the settings must decode, else the request is
     * served as it came, which the RFC allows.
     *
     * @return whether the connection was upgraded, the request to be answered as stream 1
     */
    private boolean upgrades(HttpRequest request) {
        if (settings.http2() == null || !(transport instanceof PlainTransport) || request.version() != HttpVersion.HTTP_1_1
                || !request.headers().containsToken("Upgrade", "h2c") || !request.headers().containsToken("Connection", "Upgrade")
                || !request.headers().containsToken("Connection", "HTTP2-Settings") || request.headers().all("HTTP2-Settings").size() != 1) {
            return false;
        }
        Http2Settings peerSettings;
        try {
            peerSettings = Http2Settings.fromUpgradeHeader(request.headers().first("HTTP2-Settings"));
        } catch (Http2Exception e) {
            log.debug("Not upgrading {}: {}", this, e.getMessage());
            return false;
        }
        outbound.add(ByteBuffer.wrap(SWITCHING_TO_H2C));
        HttpHeaders fields = request.headers().toBuilder().remove("Upgrade").remove("HTTP2-Settings").remove("Connection").build();
        handOver(new HttpRequest(request.method(), request.target(), request.version(), fields, request.body()), peerSettings);
        return true;
    }

    /** The connection goes on as HTTP/2: the session takes the socket, the key and the bytes not parsed yet; this object is done. */
    private void handOver(HttpRequest upgraded, Http2Settings peerSettings) {
        state = State.CLOSED;
        timer.disarm();
        ByteBuffer unread = inbound.takeUnread();
        try {
            Http2Session.takeOver(wire, settings, listening, remoteAddress, unread, upgraded, peerSettings);
        } catch (RuntimeException | StackOverflowError e) {
            stats.unexpectedFailure();
            log.error("Could not start HTTP/2 on {}; closing it", this, e);
            if (wire.key.attachment() == this) {
                state = State.READ_HEAD;
                close();
            } else {
                ((Selectable) wire.key.attachment()).close();
            }
        }
    }

    /** A whole request: to its handler, unless it expects what the server cannot do. */
    private void take(HttpRequest request) {
        if (requests == 0 && upgrades(request)) {
            return;
        }
        opened();
        if (Expectation.of(request.headers(), request.version()) == Expectation.UNSUPPORTED) {
            stats.rejectedWith(417);
            respond(request, null, ErrorResponses.of(417, "The only expectation this server meets is 100-continue.", request), null);
        } else {
            dispatcher.dispatch(this, request);
        }
    }

    /**
     * Decides, once a head with a body is parsed, what becomes of the body: streamed to a streaming
     * handler, else gathered for the handler that will answer, within its limit or the server's.
     */
    private BodyHandling bodyHandling(RequestHead head) {
        HttpRequest headOnly = new HttpRequest(head.method(), head.target(), head.version(), head.headers(), null);
        HttpHandler handler = dispatcher.select(this, headOnly);
        long limit = handler == null ? -1 : handler.bodyLimit(headOnly);
        if (handler instanceof StreamingHandler streaming) {
            chosenStreaming = streaming;
            return BodyHandling.streamed(limit < 0 ? Long.MAX_VALUE : limit);
        }
        chosenStreaming = null;
        return BodyHandling.gathered(limit < 0 ? settings.limits().body() : Math.min(limit, ParserLimits.MAX_BODY));
    }

    /** A head whose body a streaming handler reads as it comes. */
    private void takeStreaming(HttpRequest request) {
        opened();
        Expectation expectation = Expectation.of(request.headers(), request.version());
        if (expectation == Expectation.UNSUPPORTED) {
            bodyUnread = true;
            stats.rejectedWith(417);
            respond(request, null, ErrorResponses.of(417, "The only expectation this server meets is 100-continue.", request), null);
            return;
        }
        openStream(request, chosenStreaming, false, expectation == Expectation.CONTINUE);
    }

    @Override
    public void openStream(HttpRequest request, StreamingHandler handler) {
        openStream(request, handler, true, false);
    }

    @Override
    public void abandon() {
        close();
    }

    /** Hands a streaming handler its exchange, once the request was taken ({@link #opened}). */
    private void openStream(HttpRequest request, StreamingHandler handler, boolean bodyless, boolean continueOwed) {
        if (!bodyless) {
            inbound.keepForBody(StreamedBody.CHUNK);
        }
        stream = new Http1Stream(this, inbound, parser, outbound, loop, drain, settings.timeouts().send(), request, handler, bodyless, continueOwed);
        state = State.HANDLE;
        timer.disarm();
        updateInterest();
        dispatcher.dispatchStreaming(this, stream.exchange());
    }

    /** Whether this connection still carries that stream. */
    boolean carries(Http1Stream candidate) {
        return candidate == stream && state != State.CLOSED;
    }

    @Override
    public void handlerReturned(StreamedExchange exchange) {
        if (stream != null && stream.exchange() == exchange && state == State.HANDLE) {
            stream.handlerReturned();
            armStreamTimer();
        }
    }

    /** The response cannot be finished, so the connection closes. */
    @Override
    public void abortStream(StreamedExchange exchange) {
        if (stream != null && stream.exchange() == exchange && stream.responseOpen()) {
            close();
        }
    }

    /** The streamed body was refused (413, broken framing): what follows it on the connection is lost with it. */
    void bodyRejected(int status) {
        stats.rejectedWith(status);
        streamLost();
    }

    /**
     * What the stream waits for changed: the clock and the selector's interest follow. Bytes a TLS
     * transport already decrypted are no news to the selector: a read task takes them.
     */
    void streamChanged() {
        armStreamTimer();
        updateInterest();
        if (wantsStreamedBody() && transport.hasBufferedInput()) {
            loop.execute(() -> {
                if (wantsStreamedBody()) {
                    read();
                }
            });
        }
    }

    /** The handler first asked for the body of a client waiting for {@code 100 Continue}. */
    void sendContinue() {
        outbound.add(ByteBuffer.wrap(CONTINUE));
        flushOrClose();
    }

    /**
     * Reads the socket for a streamed body being pulled, once; false when it gave nothing now. The
     * end of input and read errors are left to the selector's next read, which handles them.
     */
    boolean readBodyBytes() {
        if (!readsStreamedBody() || inputClosed) {
            return false;
        }
        try {
            return inbound.readFrom(transport) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** A streamed response has bytes to write, or ended. */
    void writeStream(Http1Stream candidate) {
        if (carries(candidate) && state == State.WRITE) {
            write();
        }
    }

    /** Reads the socket for a streamed body: only while its handler asks. */
    private boolean readsStreamedBody() {
        return stream != null && !stream.bodyDone() && (state == State.HANDLE || state == State.WRITE);
    }

    private boolean wantsStreamedBody() {
        return readsStreamedBody() && stream.wantsBody();
    }

    private void streamLost() {
        stream.lost();
        closeAfterWrite = true;
    }

    /**
     * One clock at a time for a streaming exchange, the most pressing: a client not taking the
     * response, a client not sending the body asked for, a handler not answering; none while a
     * streamed response waits for its handler's next bytes, which may rightly be long (events).
     */
    private void armStreamTimer() {
        if (stream == null || state == State.CLOSED) {
            return;
        }
        if (!allSent()) {
            timer.arm(ConnectionTimer.Kind.SEND);
        } else if (wantsStreamedBody()) {
            timer.arm(ConnectionTimer.Kind.BODY);
        } else if (stream.awaitingAnswer()) {
            timer.arm(ConnectionTimer.Kind.RESPONSE);
        } else {
            timer.disarm();
        }
    }

    /** Whether the request's body was left (partly) unread, so the connection cannot carry another request. */
    private boolean bodyLeftUnread() {
        return bodyUnread || stream != null && !stream.bodyDone();
    }

    /**
     * Starts a streamed response: its head is queued, to leave with the first bytes of the body
     * (or the first flush), and the connection stays in {@code WRITE} until the handler ends it.
     */
    void startStream(StreamedExchange exchange, HttpResponse head, StreamedResponse.Framing framing) {
        HttpRequest request = exchange.request();
        HttpResponse response = transport.addTransportHeaders(head);
        boolean keepAlive = request.keepAlive() && !inputClosed && !drain.draining() && !bodyLeftUnread()
                && requests < settings.connections().keepAliveRequests()
                && !response.headers().containsToken("Connection", "close")
                && framing != StreamedResponse.Framing.UNTIL_CLOSE;
        String declared = response.headers().first("Content-Length");
        long length = switch (framing) {
            case LENGTH -> Long.parseLong(declared.trim());
            case CHUNKED -> ResponseHead.CHUNKED;
            case UNTIL_CLOSE -> ResponseHead.UNTIL_CLOSE;
            case FRAMES -> throw new IllegalStateException("HTTP/2 framing on an HTTP/1.1 connection");
            // HEAD says what GET would: its length if the handler gave one, else how GET would frame it.
            case NONE -> declared != null ? Long.parseLong(declared.trim())
                    : request.version() == HttpVersion.HTTP_1_1 ? ResponseHead.CHUNKED : ResponseHead.UNTIL_CLOSE;
        };
        byte[] headBytes = ResponseHead.encode(response, length, keepAlive, request.version(), settings.serverName(), HttpDate.now());
        answeringStart = outbound.written() + outbound.queuedBytes();
        outbound.add(ByteBuffer.wrap(headBytes));
        closeAfterWrite = !keepAlive;
        clientAskedToClose = !request.keepAlive();
        answering = new Exchange(remoteAddress, request, exchange.handler(), response.status(), response.headers(), headBytes.length, 0, requestStart, 0, false, null);
        state = State.WRITE;
        armStreamTimer();
        updateInterest();
    }

    /** A request was taken: it counts toward the keep-alive limit and is in flight until {@link #endExchange}. */
    private void opened() {
        requests++;
        stats.request();
        requestOpen = true;
    }

    private void awaitMore(boolean wasIdle) {
        if (parser.head() != null) {
            if (state == State.READ_HEAD) {
                state = State.READ_BODY;
                timer.arm(ConnectionTimer.Kind.BODY);
                if (answeredBeforeBody()) {
                    return;
                }
            }
        } else if (parser.inProgress() && wasIdle) {
            timer.arm(ConnectionTimer.Kind.HEADER);
        }
        if (!inbound.makeRoom()) {
            reject(431, "Request header section too large");
            return;
        }
        updateInterest();
    }

    /**
     * A head has come whose body has not (all) arrived. A client that sent
     * {@code Expect: 100-continue} waits for {@code 100 Continue} before sending it, so the handler
     * is chosen from the head now: one that reads bodies gets them, after the interim response;
     * otherwise (no handler, or one that ignores bodies, such as static files) the final answer goes
     * out at once and the connection closes, as the unread body leaves the stream position unknown.
     * Other expectations get 417 and the same close.
     *
     * @return whether the request was answered (or handed to a worker) without its body
     */
    private boolean answeredBeforeBody() {
        RequestHead head = parser.head();
        Expectation expectation = Expectation.of(head.headers(), head.version());
        if (expectation == Expectation.NONE) {
            return false;
        }
        if (expectation == Expectation.UNSUPPORTED) {
            reject(417, "The only expectation this server meets is 100-continue.");
            return true;
        }
        HttpRequest headOnly = new HttpRequest(head.method(), head.target(), head.version(), head.headers(), null);
        if (dispatcher.readsBody(this, headOnly)) {
            outbound.add(ByteBuffer.wrap(CONTINUE));
            flushOrClose();
            return false;
        }
        opened();
        bodyUnread = true;
        dispatcher.dispatch(this, headOnly);
        return true;
    }

    private void onEndOfInput() {
        inputClosed = true;
        if (readsStreamedBody()) {
            stats.clientAborted();
            stream.exchange().body().fail(new UncheckedIOException(new IOException("The client closed the connection before the end of the request body")));
        }
        if (state == State.HANDLE || state == State.WRITE) {
            // A client may half-close after its request; it still gets the response.
            closeAfterWrite = true;
            updateInterest();
        } else {
            if (state == State.READ_BODY || parser.inProgress() || inbound.hasBytes()) {
                // Gone in the middle of a request.
                stats.clientAborted();
            }
            close();
        }
    }

    /** The request went to a worker; stop reading until its answer is written. */
    @Override
    public void awaitResponse() {
        state = State.HANDLE;
        timer.disarm();
    }

    /**
     * Queues a response and starts writing it. Parsing of pipelined requests resumes once it is
     * written, by the parse loop that dispatched it or, for a worker's answer, from here.
     */
    @Override
    public void respond(HttpRequest request, HttpHandler handler, HttpResponse response, Throwable failure) {
        ResponseBody body = response.body();
        if (state == State.CLOSED) {
            body.release();
            return;
        }
        response = transport.addTransportHeaders(response);
        boolean keepAlive = request.keepAlive() && !inputClosed && !drain.draining() && !bodyLeftUnread()
                && requests < settings.connections().keepAliveRequests()
                && !response.headers().containsToken("Connection", "close");
        boolean sendsBody = request.method() != HttpMethod.HEAD && !HttpStatus.forbidsContent(response.status());
        byte[] head;
        try {
            long contentLength = sendsBody ? body.length() : response.contentLength();
            head = ResponseHead.encode(response, contentLength, keepAlive, request.version(), settings.serverName(), HttpDate.now());
        } catch (RuntimeException e) {
            // A handler's malformed header (say, a Content-Length that is not a number): nothing sent yet, so close.
            log.error("Could not encode the response to {} on {}", request, this, e);
            body.release();
            close();
            return;
        }
        answeringStart = outbound.written() + outbound.queuedBytes();
        outbound.add(ByteBuffer.wrap(head));
        if (sendsBody) {
            outbound.add(body);
        } else {
            body.release();
        }
        closeAfterWrite = !keepAlive;
        clientAskedToClose = !request.keepAlive();
        answering = new Exchange(remoteAddress, request, handler, response.status(), response.headers(), head.length, 0, requestStart, 0, false, failure);
        startWrite();
    }

    /**
     * A worker's answer, run as a task on this connection's loop. Whatever goes wrong closes the
     * connection: it must not be left waiting for an answer that will never be written.
     */
    @Override
    public void deliver(HttpRequest request, HttpHandler handler, HandlerChain.Answer answer) {
        try {
            respond(request, handler, answer.response(), answer.failure());
        } catch (RuntimeException | StackOverflowError e) {
            stats.unexpectedFailure();
            log.error("Could not send the answer to {} on {}; closing it", request, this, e);
            answer.response().body().release();
            close();
        }
    }

    /** Refuses a request that could not be read to its end: the stream is lost, so close after. */
    private void reject(int status, String reason) {
        stats.rejectedWith(status);
        HttpResponse response = transport.addTransportHeaders(ErrorResponses.of(status, reason));
        byte[] head = ResponseHead.encode(response, response.body().length(), false, HttpVersion.HTTP_1_1, settings.serverName(), HttpDate.now());
        answeringStart = outbound.written() + outbound.queuedBytes();
        outbound.add(ByteBuffer.wrap(head));
        outbound.add(response.body());
        closeAfterWrite = true;
        clientAskedToClose = false;
        answering = new Exchange(remoteAddress, null, null, status, HttpHeaders.EMPTY, head.length, 0, requestStart, 0, false, null);
        startWrite();
    }

    private void startWrite() {
        state = State.WRITE;
        timer.arm(ConnectionTimer.Kind.SEND);
        write();
    }

    private void write() {
        if (writing) {
            writeAgain = true;
            return;
        }
        writing = true;
        try {
            do {
                writeAgain = false;
                writeOnce();
            } while (writeAgain && state == State.WRITE);
        } finally {
            writing = false;
        }
    }

    private void writeOnce() {
        if (!flushOrClose()) {
            return;
        }
        if (stream != null && stream.exchange().response() != null) {
            stream.exchange().response().onWritten();
        }
        if (state != State.WRITE || !allSent()) {
            updateInterest();
            return;
        }
        if (stream != null && stream.responseOpen()) {
            armStreamTimer();
            updateInterest();
            return;
        }
        endExchange(true);
        if (stream != null) {
            inbound.releaseBody();
            stream.exchange().ended();
            if (stream.bodyDone()) {
                parser.reset();
            } else {
                closeAfterWrite = true;
            }
            stream = null;
        }
        if (closeAfterWrite || drain.draining() && isIdle()) {
            finish();
        } else {
            state = State.READ_HEAD;
            timer.arm(ConnectionTimer.Kind.KEEP_ALIVE);
            if (parsing) {
                return;
            }
            if (inbound.hasBytes()) {
                parseBuffered();
                inbound.settle(state != State.CLOSED && state != State.LINGER);
            } else {
                updateInterest();
            }
            if (transport.hasBufferedInput() && (state == State.READ_HEAD || state == State.READ_BODY)) {
                read();
            }
        }
    }

    /** The response is out: nothing queued, nothing held by the transport (encrypted bytes not yet written). */
    private boolean allSent() {
        return wire.allSent();
    }

    /**
     * The transport finished work done off the loop (a TLS handshake's delegated tasks) and
     * carries on: writes what it now has to say, then reads what may have come meanwhile.
     */
    private void resumeTransport() {
        if (state == State.CLOSED) {
            return;
        }
        try {
            write();
            if (state == State.READ_HEAD || state == State.READ_BODY) {
                read();
            }
        } catch (RuntimeException | StackOverflowError e) {
            stats.unexpectedFailure();
            log.error("Could not resume {}; closing it", this, e);
            close();
        }
    }

    /** Writes what the socket takes; returns false if that closed the connection. */
    private boolean flushOrClose() {
        long written = wire.flush(this);
        if (written < 0) {
            close();
            return false;
        }
        if (written > 0 && state == State.WRITE) {
            timer.arm(ConnectionTimer.Kind.SEND);
        }
        return true;
    }

    /**
     * The last response is out: close now if the client has closed its side, else linger. An empty
     * read buffer does not mean the client sent nothing more: bytes that came while the response
     * was written wait unread in the kernel, and closing over them sends a reset that discards
     * the response's tail still queued for sending. A client that asked to close and has sent
     * nothing since (one read finds no byte waiting) is closed at once, as nginx's
     * {@code lingering_close on} does: it is done sending, and lingering would cost it and us a
     * round trip. Not so after a final status sent instead of {@code 100 Continue}: that body
     * may still be on its way. TLS always lingers, to say {@code close_notify} first.
     */
    private void finish() {
        if (inputClosed || clientAskedToClose && !bodyUnread && transport.closesAtOnce() && !inbound.hasBytes() && wire.nothingMoreSent()
                || !wire.shutdownOutput()) {
            close();
            return;
        }
        state = State.LINGER;
        timer.arm(ConnectionTimer.Kind.LINGER);
        updateInterest();
    }

    /** Reads and discards what the client still sends while the connection lingers. */
    private void drain() {
        if (!wire.discardInput()) {
            close();
        }
    }

    /**
     * Ends the request being answered, once: it leaves the in-flight count, and the observer hears
     * of its exchange. The end is timed exactly, as a response written within the turn that read its
     * request would otherwise last zero.
     */
    private void endExchange(boolean whole) {
        if (requestOpen) {
            requestOpen = false;
            stats.requestEnded();
        }
        if (answering != null) {
            Exchange ended = answering.ended(System.nanoTime(), whole, Math.max(0, outbound.written() - answeringStart));
            answering = null;
            observer.exchangeEnded(ended);
        }
    }

    private void onTimeout(ConnectionTimer.Kind kind) {
        switch (kind) {
            case BODY, RESPONSE -> {
                if (stream != null) {
                    streamTimedOut(kind);
                    return;
                }
                log.debug("{} timed out reading a request", this);
                stats.timedOut(ServerStats.TimeoutKind.BODY);
                reject(408, "The request was not received in time.");
            }
            case HEADER -> {
                log.debug("{} timed out reading a request", this);
                stats.timedOut(kind == ConnectionTimer.Kind.HEADER ? ServerStats.TimeoutKind.HEADER : ServerStats.TimeoutKind.BODY);
                reject(408, "The request was not received in time.");
            }
            case KEEP_ALIVE -> {
                stats.timedOut(ServerStats.TimeoutKind.KEEP_ALIVE);
                close();
            }
            case HANDSHAKE -> {
                log.debug("{} did not complete its TLS handshake in time", this);
                stats.timedOut(ServerStats.TimeoutKind.HEADER);
                close();
            }
            case LINGER -> close();
            case SEND -> {
                log.debug("{} stopped reading its response; closing", this);
                stats.timedOut(ServerStats.TimeoutKind.SEND);
                close();
            }
        }
    }

    private void updateInterest() {
        if (state == State.CLOSED) {
            return;
        }
        int ops = switch (state) {
            case READ_HEAD, READ_BODY, LINGER -> SelectionKey.OP_READ;
            case WRITE -> outbound.isEmpty() ? 0 : SelectionKey.OP_WRITE;
            case HANDLE, CLOSED -> 0;
        };
        if (wantsStreamedBody()) {
            ops |= SelectionKey.OP_READ;
        }
        wire.interest(ops, inputClosed);
    }

    /** Between requests, with nothing half-read or unsent. */
    private boolean isIdle() {
        return (state == State.READ_HEAD || state == State.WRITE) && allSent() && !inbound.hasBytes() && !parser.inProgress()
                && !transport.hasBufferedInput();
    }

    /** An idle connection closes now; a busy one answers its request with {@code Connection: close}. */
    @Override
    public void onDrain() {
        if (drain.draining() && state == State.READ_HEAD && isIdle()) {
            close();
        } else if (drain.draining() && stream != null) {
            stream.exchange().shutdown();
        }
    }

    /**
     * A streaming exchange's clock ran out: its client stopped sending the body the handler waits
     * for (408), or its handler never answered (503). The handler hears it from its body; the
     * client gets the status if nothing was sent yet, and the connection closes.
     */
    private void streamTimedOut(ConnectionTimer.Kind kind) {
        StreamedExchange exchange = stream.exchange();
        boolean body = kind == ConnectionTimer.Kind.BODY;
        stats.timedOut(body ? ServerStats.TimeoutKind.BODY : ServerStats.TimeoutKind.RESPONSE);
        log.debug("{} timed out {}", this, body ? "waiting for a streamed request body" : "waiting for its handler's answer");
        streamLost();
        if (!exchange.timedOut(body)) {
            close();
        }
    }

    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        boolean clean = isIdle();
        state = State.CLOSED;
        timer.disarm();
        endExchange(false);
        if (stream != null) {
            stream.exchange().abort(new IOException(inputClosed ? "The client closed the connection" : "The connection was closed before the response was written"));
            stream = null;
        }
        wire.close(clean);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Closing a connection failed", e);
        }
    }

    @Override
    public String toString() {
        return "connection from " + remoteAddress;
    }
}
