package dev.pier.server;

import dev.pier.handler.StreamingHandler;
import dev.pier.http.HttpException;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http1.ParseResult;
import dev.pier.http1.RequestParser;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A streaming handler's exchange carried by an HTTP/1.1 {@link Connection}: what its body reads
 * through ({@link StreamedBody.BodyChannel}: the connection's read buffer and parser), what it
 * answers through ({@link StreamedExchange.Host}) and where a streamed response's bytes go
 * ({@link StreamedResponse.Output}: the outbound queue), with the little state that lasts as long
 * as the exchange. Loop thread only; the connection keeps the state machine.
 */
final class Http1Stream implements StreamedBody.BodyChannel, StreamedExchange.Host, StreamedResponse.Output {

    private final Connection connection;
    private final InboundBuffer inbound;
    private final RequestParser parser;
    private final OutboundQueue outbound;
    private final EventLoop loop;
    private final Drain drain;
    private final Duration sendTimeout;
    private final StreamedExchange exchange;

    /** The body was read to its end (or there was none): the parser may take the next request once the exchange ends. */
    private boolean bodyDone;
    /** The body's parser wants bytes the read buffer does not have yet. */
    private boolean needsSocket;
    /** {@code 100 Continue} owed to a client waiting for it, sent when the handler first asks for the body. */
    private boolean continueOwed;
    /** A streamed response was started and its handler has not ended it yet. */
    private boolean responseOpen;
    /** The handler returned without answering: its answer is awaited, for at most the response timeout. */
    private boolean awaitingAnswer;

    Http1Stream(Connection connection, InboundBuffer inbound, RequestParser parser, OutboundQueue outbound, EventLoop loop, Drain drain,
            Duration sendTimeout, HttpRequest request, StreamingHandler handler, boolean bodyless, boolean continueOwed) {
        this.connection = connection;
        this.inbound = inbound;
        this.parser = parser;
        this.outbound = outbound;
        this.loop = loop;
        this.drain = drain;
        this.sendTimeout = sendTimeout;
        this.bodyDone = bodyless;
        this.continueOwed = continueOwed;
        this.exchange = new StreamedExchange(this, request, handler, new StreamedBody(this, bodyless ? 0 : parser.bodyLength()));
    }

    StreamedExchange exchange() {
        return exchange;
    }

    boolean bodyDone() {
        return bodyDone;
    }

    /** The handler waits for body bytes the buffer does not hold: the connection reads the socket for it. */
    boolean wantsBody() {
        return !bodyDone && exchange.body().demanded();
    }

    boolean responseOpen() {
        return responseOpen;
    }

    boolean awaitingAnswer() {
        return awaitingAnswer;
    }

    void handlerReturned() {
        if (!exchange.answered()) {
            awaitingAnswer = true;
        }
    }

    /** The socket had bytes for a pending read. */
    void onBytes() {
        needsSocket = false;
        exchange.body().onReadable();
    }

    /** The body cannot be read on: no {@code 100 Continue} any more. */
    void lost() {
        continueOwed = false;
    }

    /**
     * Decodes what the read buffer holds into {@code into}; while room is left, reads the socket on
     * (a non-blocking read, which finds nothing rather than wait), so one pull can fill a whole
     * chunk instead of one loop turn per socket read.
     */
    @Override
    public StreamedBody.Pull pull(ByteBuffer into) {
        if (bodyDone) {
            return StreamedBody.Pull.END;
        }
        sendContinueIfOwed();
        while (true) {
            if (inbound.hasBytes() && !needsSocket) {
                ParseResult result = inbound.content(parser, into);
                if (result instanceof ParseResult.Rejected rejected) {
                    connection.bodyRejected(rejected.status());
                    throw new HttpException(rejected.status(), rejected.reason());
                }
                if (result instanceof ParseResult.Content content && content.last()) {
                    bodyDone = true;
                    inbound.releaseBody();
                    connection.streamChanged();
                    return StreamedBody.Pull.END;
                }
                if (result instanceof ParseResult.NeedMore) {
                    needsSocket = true;
                    inbound.makeRoom();
                }
            } else {
                needsSocket = true;
            }
            if (!into.hasRemaining() || !connection.readBodyBytes()) {
                return into.position() > 0 ? StreamedBody.Pull.DATA : StreamedBody.Pull.NEED_MORE;
            }
            needsSocket = false;
        }
    }

    @Override
    public void awaitBytes() {
        sendContinueIfOwed();
        if (bodyDone || !needsSocket && inbound.hasBytes()) {
            // What is here already: answer in a task of its own, so a handler demanding from its callback never nests.
            loop.execute(() -> {
                if (connection.carries(this)) {
                    exchange.body().onReadable();
                }
            });
            return;
        }
        connection.streamChanged();
    }

    private void sendContinueIfOwed() {
        if (continueOwed) {
            continueOwed = false;
            connection.sendContinue();
        }
    }

    @Override
    public HttpHeaders trailers() {
        return parser.trailers();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void respond(StreamedExchange answered, HttpResponse response, Throwable failure) {
        if (!connection.carries(this)) {
            response.body().release();
            return;
        }
        awaitingAnswer = false;
        connection.respond(exchange.request(), exchange.handler(), response, failure);
    }

    @Override
    public void startStream(StreamedExchange answered, HttpResponse head, StreamedResponse.Framing framing) {
        if (!connection.carries(this)) {
            return;
        }
        awaitingAnswer = false;
        responseOpen = true;
        connection.startStream(exchange, head, framing);
    }

    @Override
    public StreamedResponse.Output output() {
        return this;
    }

    @Override
    public boolean draining() {
        return drain.draining();
    }

    @Override
    public long queue(ByteBuffer bytes) {
        outbound.add(bytes);
        return queuedEnd();
    }

    @Override
    public void flush() {
        connection.writeStream(this);
    }

    @Override
    public void finish(HttpHeaders trailers) {
        responseOpen = false;
        connection.writeStream(this);
    }

    @Override
    public long written() {
        return outbound.written();
    }

    @Override
    public long queuedEnd() {
        return outbound.written() + outbound.queuedBytes();
    }

    @Override
    public Duration sendTimeout() {
        return sendTimeout;
    }
}
