package dev.pier.server;

import dev.pier.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * The TLS side of one listener: makes each accepted connection's {@link TlsTransport} from the
 * context current at that moment (so a renewed certificate serves new connections while old ones
 * finish with theirs), holds each loop's {@link TlsScratch}, the executor for the engines'
 * delegated tasks, and the {@code Strict-Transport-Security} value.
 */
final class TlsEndpoint {

    private final Supplier<TlsContext> context;
    private final Executor delegatedTasks;
    private final String strictTransportSecurity;
    private final boolean http2;
    private final Map<EventLoop, TlsScratch> scratch = new ConcurrentHashMap<>();

    /**
     * @param context asked once per connection for the current certificate and parameters
     * @param delegatedTasks runs the engines' handshake computations off the event loops
     * @param strictTransportSecurity the field's value, or {@code null} to send none
     * @param http2 whether ALPN offers {@code h2}
     */
    TlsEndpoint(Supplier<TlsContext> context, Executor delegatedTasks, String strictTransportSecurity, boolean http2) {
        this.context = context;
        this.delegatedTasks = delegatedTasks;
        this.strictTransportSecurity = strictTransportSecurity;
        this.http2 = http2;
    }

    /**
     * A transport for an accepted channel; runs on its loop.
     *
     * @param resume run on the loop once delegated tasks have finished, to carry on the handshake
     */
    TlsTransport open(EventLoop loop, SocketChannel channel, Runnable resume) {
        TlsContext current = context.get();
        SSLEngine engine = current.newEngine(http2);
        return new TlsTransport(channel, engine, current.hosts(), scratchFor(loop, engine.getSession()), loop, delegatedTasks, resume, this);
    }

    private TlsScratch scratchFor(EventLoop loop, SSLSession session) {
        return scratch.computeIfAbsent(loop, key -> new TlsScratch(session.getPacketBufferSize(), session.getApplicationBufferSize()));
    }

    HttpResponse withStrictTransportSecurity(HttpResponse response) {
        if (strictTransportSecurity == null || response.headers().contains("Strict-Transport-Security")) {
            return response;
        }
        return response.withHeader("Strict-Transport-Security", strictTransportSecurity);
    }
}
