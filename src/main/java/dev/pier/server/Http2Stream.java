package dev.pier.server;

import dev.pier.handler.HttpHandler;
import dev.pier.handler.StreamingHandler;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.RequestHead;
import dev.pier.http.ResponseBody;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One HTTP/2 stream and the exchange it carries (RFC 9113 §5.1): the request as its frames come,
 * its body gathered for a whole-request handler or streamed to a {@link StreamingHandler}, and the
 * response waiting to go out as DATA frames as the flow-control windows allow. The
 * {@link Http2Session} owns the state machine, the windows and the writing; the stream keeps what
 * lasts as long as the exchange. Loop thread only.
 */
final class Http2Stream implements RequestCarrier, StreamedBody.BodyChannel, StreamedExchange.Host, StreamedResponse.Output {

    /** Marks, in {@link #sending}, where trailer fields go: after every DATA byte before them. */
    record Trailers(HttpHeaders fields) {
    }

    private final Http2Session session;
    final int id;

    // The request.
    RequestHead head;
    HttpRequest request;
    /** The declared {@code content-length}, or -1. */
    long contentLength = -1;
    /** DATA payload received, for {@code content-length}. */
    long received;
    /** END_STREAM received: the stream is half-closed (remote). */
    boolean remoteClosed;
    long startNanos;
    /** The body gathered for a whole-request handler, with its limit; {@code null} when none is being gathered. */
    private byte[] gathered;
    private int gatheredLength;
    private long gatherLimit;
    /** What a streaming handler has not read yet: at most the stream's window, as the client may send no more. */
    private ByteBuffer unread;
    private HttpHeaders requestTrailers = HttpHeaders.EMPTY;
    /** The most body bytes a streaming handler takes. */
    long streamLimit = Long.MAX_VALUE;
    /** The body cannot be read on (the stream was answered early, or failed). */
    boolean bodyAbandoned;
    /** {@code 100 Continue} owed to a client waiting for it, sent when the handler first asks for the body. */
    boolean continueOwed;

    // Flow control: the receive window, its bytes taken since the last WINDOW_UPDATE, and the send window.
    long receiveWindow;
    int unacknowledged;
    long sendWindow;

    // The exchange and its answer.
    HttpHandler handler;
    StreamedExchange exchange;
    /** The handler has not finished: the stream keeps its concurrency slot, even once reset. */
    boolean handlerRunning;
    boolean slotReleased;
    /** The observer heard of the exchange. */
    boolean ended;
    /** A streaming handler returned without answering: its answer is awaited for the response timeout. */
    boolean awaitingAnswer;
    /** Response HEADERS were queued. */
    boolean headersSent;
    /** Response bytes and markers not yet framed: {@link ByteBuffer}s, {@link ResponseBody.FileRegion}s, {@link Trailers}. */
    final ArrayDeque<Object> sending = new ArrayDeque<>(2);
    /** Offset into the file region at the head of {@link #sending}. */
    long fileOffset;
    /** A whole body to release once its last DATA frame is written. */
    ResponseBody releaseAfter;
    /** The response is complete in {@link #sending}: END_STREAM goes with the last of it. */
    boolean responseComplete;
    /** END_STREAM was queued: the stream is half-closed (local). */
    boolean localClosed;
    /** Reset by either side, or ended: no frame of it goes out any more. */
    boolean closed;
    /** In the session's queue of streams with DATA to send. */
    boolean queuedForSending;
    /** Has bytes to send and no window to send them in: the send timeout runs. */
    boolean windowBlocked;
    /** Response bytes accepted from the handler, and those framed into the connection's output. */
    long queued;
    long framed;
    Exchange answering;
    final ConnectionTimer timer;

    Http2Stream(Http2Session session, int id, long sendWindow, int receiveWindow) {
        this.session = session;
        this.id = id;
        this.sendWindow = sendWindow;
        this.receiveWindow = receiveWindow;
        this.timer = new ConnectionTimer(session.loop(), session.timeouts(), this::onTimeout);
    }

    // ---- the request's body -------------------------------------------------------------------

    /** Gathers the body for a whole-request handler, up to {@code limit} bytes. */
    void gather(long limit) {
        gatherLimit = limit;
        int initial = (int) Math.min(limit, contentLength >= 0 ? contentLength : 16_384);
        gathered = new byte[Math.max(0, initial)];
    }

    boolean gathering() {
        return gathered != null;
    }

    long gatherLimit() {
        return gatherLimit;
    }

    void dropGathered() {
        gathered = null;
    }

    /** @return false when the body passes the gathering limit */
    boolean gatherData(ByteBuffer data) {
        int count = data.remaining();
        if (gatheredLength + (long) count > gatherLimit) {
            return false;
        }
        if (gatheredLength + count > gathered.length) {
            long grown = Math.min(gatherLimit, Math.max((long) gathered.length * 2, gatheredLength + (long) count));
            gathered = Arrays.copyOf(gathered, (int) grown);
        }
        data.get(gathered, gatheredLength, count);
        gatheredLength += count;
        return true;
    }

    byte[] gatheredBody() {
        byte[] body = gatheredLength == gathered.length ? gathered : Arrays.copyOf(gathered, gatheredLength);
        gathered = null;
        return body;
    }

    /** Keeps DATA for the streaming handler; the window keeps it within {@code capacity}. */
    void keep(ByteBuffer data, int capacity) {
        if (unread == null) {
            unread = ByteBuffer.allocate((int) Math.min(capacity, contentLength >= 0 ? Math.max(contentLength, 1) : capacity));
        }
        if (unread.remaining() < data.remaining()) {
            // The peer sent within its window but beyond this buffer (a content-length smaller than the body): grow.
            unread = ByteBuffer.allocate(unread.position() + data.remaining()).put(unread.flip());
        }
        unread.put(data);
    }

    void trailers(HttpHeaders fields) {
        requestTrailers = fields;
    }

    /** The stream has bytes or an end for a streaming handler waiting on them. */
    void bodyReadable() {
        if (exchange != null && exchange.body().demanded()) {
            exchange.body().onReadable();
        }
    }

    @Override
    public StreamedBody.Pull pull(ByteBuffer into) {
        if (bodyAbandoned) {
            throw new UncheckedIOException(new IOException("The request body was abandoned"));
        }
        sendContinueIfOwed();
        if (unread != null && unread.position() > 0) {
            unread.flip();
            int take = Math.min(unread.remaining(), into.remaining());
            into.put(into.position(), unread, unread.position(), take);
            into.position(into.position() + take);
            unread.position(unread.position() + take);
            unread.compact();
        }
        if (remoteClosed && (unread == null || unread.position() == 0)) {
            return StreamedBody.Pull.END;
        }
        return into.position() > 0 ? StreamedBody.Pull.DATA : StreamedBody.Pull.NEED_MORE;
    }

    @Override
    public void awaitBytes() {
        sendContinueIfOwed();
        if (remoteClosed || bodyAbandoned || unread != null && unread.position() > 0) {
            // What is here already: answer in a task of its own, so a handler demanding from its callback never nests.
            session.loop().execute(() -> {
                if (exchange != null) {
                    exchange.body().onReadable();
                }
            });
        } else {
            session.armStreamTimer(this);
        }
    }

    @Override
    public void consumed(int bytes) {
        session.bodyConsumed(this, bytes);
    }

    private void sendContinueIfOwed() {
        if (continueOwed) {
            continueOwed = false;
            session.sendContinue(this);
        }
    }

    @Override
    public HttpHeaders trailers() {
        return requestTrailers;
    }

    /** Whether a streaming handler waits for body bytes that have not come: the body clock runs. */
    boolean waitsForBody() {
        return exchange != null && !remoteClosed && !bodyAbandoned && exchange.body().demanded();
    }

    // ---- the carrier and the exchange's host -----------------------------------------------------

    @Override
    public InetSocketAddress remoteAddress() {
        return session.remoteAddress();
    }

    @Override
    public boolean isAuthoritativeFor(HttpRequest request) {
        return session.isAuthoritativeFor(request);
    }

    @Override
    public EventLoop loop() {
        return session.loop();
    }

    @Override
    public void respond(HttpRequest answered, HttpHandler by, HttpResponse response, Throwable failure) {
        handlerRunning = false;
        awaitingAnswer = false;
        session.respond(this, answered, by, response, failure);
    }

    @Override
    public void openStream(HttpRequest bodyless, StreamingHandler streaming) {
        session.openExchange(this, bodyless, streaming);
    }

    @Override
    public void awaitResponse() {
        handlerRunning = true;
    }

    @Override
    public void deliver(HttpRequest answered, HttpHandler by, HandlerChain.Answer answer) {
        try {
            respond(answered, by, answer.response(), answer.failure());
        } catch (RuntimeException | StackOverflowError e) {
            answer.response().body().release();
            session.failed(this, e);
        }
    }

    @Override
    public void handlerReturned(StreamedExchange returned) {
        handlerRunning = false;
        if (exchange == returned && !exchange.answered()) {
            awaitingAnswer = true;
        }
        session.handlerFinished(this);
    }

    @Override
    public void abortStream(StreamedExchange failed) {
        handlerRunning = false;
        session.failed(this, null);
    }

    @Override
    public void abandon() {
        handlerRunning = false;
        session.failed(this, null);
    }

    @Override
    public void respond(StreamedExchange answered, HttpResponse response, Throwable failure) {
        respond(answered.request(), answered.handler(), response, failure);
    }

    @Override
    public void startStream(StreamedExchange answered, HttpResponse head, StreamedResponse.Framing framing) {
        awaitingAnswer = false;
        session.startStream(this, head, framing);
    }

    @Override
    public StreamedResponse.Output output() {
        return this;
    }

    @Override
    public boolean draining() {
        return session.draining();
    }

    // ---- a streamed response's output --------------------------------------------------------

    @Override
    public long queue(ByteBuffer bytes) {
        if (!closed && bytes.hasRemaining()) {
            queued += bytes.remaining();
            sending.add(bytes);
        }
        return queued;
    }

    @Override
    public void flush() {
        session.wantsToSend(this);
    }

    @Override
    public void finish(HttpHeaders trailers) {
        if (closed) {
            return;
        }
        if (trailers.size() > 0) {
            sending.add(new Trailers(trailers));
        }
        responseComplete = true;
        session.wantsToSend(this);
    }

    @Override
    public long written() {
        return framed;
    }

    @Override
    public long queuedEnd() {
        return queued;
    }

    @Override
    public Duration sendTimeout() {
        return session.timeouts().send();
    }

    boolean hasSomethingToSend() {
        return !sending.isEmpty() || responseComplete && !localClosed;
    }

    private void onTimeout(ConnectionTimer.Kind kind) {
        session.streamTimedOut(this, kind);
    }

    /** The stream ended without its exchange completing: the handler hears it from its body and listeners. */
    void abort(String why) {
        if (exchange != null) {
            exchange.abort(new IOException(why));
        }
    }

    /** The request as far as the head goes, for an answer given before the body. */
    HttpRequest headOnly() {
        return request != null ? request : new HttpRequest(head.method(), head.target(), head.version(), head.headers(), null);
    }

    @Override
    public String toString() {
        return "stream " + id + " of " + session;
    }
}
