package dev.pier.server;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * A connection's one running clock, kept on its loop's {@link Deadlines}: which timeout runs and
 * when it fires. A connection waits for one thing at a time, so one timer serves every kind.
 */
final class ConnectionTimer extends Deadline {

    /** {@code HANDSHAKE}: a TLS handshake, from the connection's accept, bounded by the header timeout. */
    enum Kind { HANDSHAKE, HEADER, KEEP_ALIVE, BODY, SEND, RESPONSE, LINGER }

    /** How long a closing connection drains what the client still sends, so it reads our response instead of a reset. */
    private static final Duration LINGER = Duration.ofSeconds(2);

    private final EventLoop loop;
    private final ServerSettings.Timeouts timeouts;
    private final Consumer<Kind> onExpiry;
    private Kind kind;

    ConnectionTimer(EventLoop loop, ServerSettings.Timeouts timeouts, Consumer<Kind> onExpiry) {
        this.loop = loop;
        this.timeouts = timeouts;
        this.onExpiry = onExpiry;
    }

    /** Starts the clock for this kind, replacing whichever ran. */
    void arm(Kind value) {
        kind = value;
        loop.deadlines().arm(this, loop.now() + duration(value).toNanos());
    }

    void disarm() {
        loop.deadlines().disarm(this);
    }

    @Override
    void expire(long nowNanos) {
        onExpiry.accept(kind);
    }

    private Duration duration(Kind value) {
        return switch (value) {
            case HANDSHAKE, HEADER -> timeouts.header();
            case KEEP_ALIVE -> timeouts.keepAlive();
            case BODY -> timeouts.body();
            case SEND -> timeouts.send();
            case RESPONSE -> timeouts.response();
            case LINGER -> LINGER;
        };
    }
}
