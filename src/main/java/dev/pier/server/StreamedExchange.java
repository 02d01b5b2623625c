package dev.pier.server;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.HttpExchange;
import dev.pier.handler.ResponseStream;
import dev.pier.handler.StreamingHandler;
import dev.pier.http.HttpException;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.HttpStatus;
import dev.pier.http.ResponseBody;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import lombok.extern.slf4j.Slf4j;

/**
 * The exchange a {@link StreamingHandler} holds: its body streamed from the connection, and its
 * one answer, whole or streamed, from any thread. The answer is claimed at once on the calling
 * thread (so a second one fails there, where the mistake is) and carried out on the loop; the
 * listeners live on the loop.
 */
@Slf4j
final class StreamedExchange implements HttpExchange {

    /** What the exchange needs of its connection, on the connection's loop. */
    interface Host {

        /** @param failure what the handler threw when this is the 500 standing in for it, else {@code null} */
        void respond(StreamedExchange exchange, HttpResponse response, Throwable failure);

        void startStream(StreamedExchange exchange, HttpResponse head, StreamedResponse.Framing framing);

        StreamedResponse.Output output();

        EventLoop loop();

        /** The connection's peer. */
        InetSocketAddress remoteAddress();

        /** Whether a graceful shutdown has begun. */
        boolean draining();
    }

    private final Host host;
    private final HttpRequest request;
    private final StreamingHandler handler;
    private final StreamedBody body;
    private final AtomicBoolean answered = new AtomicBoolean();

    // Loop only.
    private StreamedResponse response;
    private List<Consumer<Throwable>> abortListeners;
    private List<Runnable> shutdownListeners;
    private Throwable abortedBy;
    private boolean ended;

    StreamedExchange(Host host, HttpRequest request, StreamingHandler handler, StreamedBody body) {
        this.host = host;
        this.request = request;
        this.handler = handler;
        this.body = body;
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return host.remoteAddress();
    }

    /** The peer's address: the server knows no proxies; a filter that does says otherwise. */
    @Override
    public InetAddress clientAddress() {
        return host.remoteAddress().getAddress();
    }

    StreamingHandler handler() {
        return handler;
    }

    @Override
    public StreamedBody body() {
        return body;
    }

    /** The streamed response once started, else {@code null}. */
    StreamedResponse response() {
        return response;
    }

    boolean answered() {
        return answered.get();
    }

    @Override
    public void respond(HttpResponse whole) {
        claim();
        onLoop(() -> host.respond(this, whole, null));
    }

    /** Answers for the handler (an error, a timeout): false if it answered first. */
    boolean respondIfUnanswered(HttpResponse whole, Throwable failure) {
        if (!answered.compareAndSet(false, true)) {
            whole.body().release();
            return false;
        }
        onLoop(() -> host.respond(this, whole, failure));
        return true;
    }

    @Override
    public ResponseStream stream(int status, HttpHeaders headers) {
        claim();
        StreamedResponse.Framing framing = framing(status, headers);
        long length = framing == StreamedResponse.Framing.LENGTH ? Long.parseLong(headers.first("Content-Length").trim()) : -1;
        StreamedResponse started = new StreamedResponse(host.output(), framing, length);
        HttpResponse head = new HttpResponse(status, headers, ResponseBody.EMPTY);
        onLoop(() -> {
            response = started;
            host.startStream(this, head, framing);
        });
        return started;
    }

    private StreamedResponse.Framing framing(int status, HttpHeaders headers) {
        String length = headers.first("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) < 0) {
                    throw new NumberFormatException(length);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Content-Length is not a length: " + length);
            }
        }
        if (request.method() == HttpMethod.HEAD || HttpStatus.forbidsContent(status)) {
            return StreamedResponse.Framing.NONE;
        }
        if (length != null) {
            return StreamedResponse.Framing.LENGTH;
        }
        return switch (request.version()) {
            case HTTP_1_1 -> StreamedResponse.Framing.CHUNKED;
            case HTTP_1_0 -> StreamedResponse.Framing.UNTIL_CLOSE;
            case HTTP_2_0 -> StreamedResponse.Framing.FRAMES;
        };
    }

    private void claim() {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("The exchange was answered already");
        }
    }

    @Override
    public void onAbort(Consumer<Throwable> listener) {
        onLoop(() -> {
            if (abortedBy != null) {
                listener.accept(abortedBy);
            } else if (!ended) {
                if (abortListeners == null) {
                    abortListeners = new ArrayList<>(2);
                }
                abortListeners.add(listener);
            }
        });
    }

    @Override
    public void onShutdown(Runnable listener) {
        onLoop(() -> {
            if (host.draining()) {
                listener.run();
            } else if (!ended) {
                if (shutdownListeners == null) {
                    shutdownListeners = new ArrayList<>(1);
                }
                shutdownListeners.add(listener);
            }
        });
    }

    @Override
    public Executor loop() {
        return host.loop()::execute;
    }

    /** The response was written whole: no listener will be needed any more. */
    void ended() {
        ended = true;
        abortListeners = null;
        shutdownListeners = null;
    }

    /** The exchange ended without its response written: tell the body, the response and the listeners, once. */
    void abort(Throwable cause) {
        if (ended || abortedBy != null) {
            return;
        }
        abortedBy = cause;
        answered.set(true);
        body.fail(new UncheckedIOException(cause instanceof IOException io ? io : new IOException(cause)));
        if (response != null) {
            response.fail(cause);
        }
        List<Consumer<Throwable>> listeners = abortListeners;
        abortListeners = null;
        shutdownListeners = null;
        if (listeners != null) {
            for (Consumer<Throwable> listener : listeners) {
                safely(() -> listener.accept(cause));
            }
        }
    }

    /** What a request whose clock ran out gets: its body stopped coming (408), or its handler never answered (503). */
    static HttpException timeout(boolean body) {
        return body ? new HttpException(408, "The request body was not received in time.")
                : new HttpException(503, "The server did not answer in time.");
    }

    /**
     * The exchange's clock ran out: the handler hears it from its body, the client gets the
     * {@link #timeout} status unless an answer was given already.
     *
     * @return false if the handler had answered: the response cannot be finished
     */
    boolean timedOut(boolean waitingForBody) {
        HttpException timedOut = timeout(waitingForBody);
        body.fail(timedOut);
        return respondIfUnanswered(HandlerChain.closing(ErrorResponses.of(timedOut.status(), timedOut.getMessage(), request)), null);
    }

    /** A graceful shutdown began while this exchange was open. */
    void shutdown() {
        List<Runnable> listeners = shutdownListeners;
        shutdownListeners = null;
        if (listeners != null) {
            listeners.forEach(StreamedExchange::safely);
        }
    }

    /** A listener's failure is the handler's bug; it must not end the loop or the other listeners. */
    private static void safely(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            log.warn("An exchange listener failed", e);
        }
    }

    private void onLoop(Runnable task) {
        if (host.loop().inLoop()) {
            task.run();
        } else {
            host.loop().execute(task);
        }
    }

    @Override
    public String toString() {
        return request.toString();
    }
}
