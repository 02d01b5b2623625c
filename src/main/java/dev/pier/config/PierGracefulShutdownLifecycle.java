package dev.pier.config;

import dev.pier.server.HttpServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.SmartLifecycle;

/**
 * Drains the server before the context stops it, in the phase Spring Boot gives its own
 * {@code WebServerGracefulShutdownLifecycle}: higher than {@link PierServerLifecycle}, so it
 * stops first. {@link #stop(Runnable)} returns at once; Spring waits for the callback up to
 * {@code spring.lifecycle.timeout-per-shutdown-phase}, then stops the server anyway, which aborts
 * the drain.
 */
@Slf4j
final class PierGracefulShutdownLifecycle implements SmartLifecycle {

    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private final HttpServer server;
    private final Duration delay;
    private volatile boolean running;

    PierGracefulShutdownLifecycle(HttpServer server, Duration delay) {
        this.server = server;
        this.delay = delay;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException("Stop must not be invoked directly");
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        if (delay.isZero() || delay.isNegative()) {
            server.shutDownGracefully(result -> callback.run());
            return;
        }
        log.info("Readiness is REFUSING_TRAFFIC; serving for {} more before draining", delay);
        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> server.shutDownGracefully(result -> callback.run()));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
