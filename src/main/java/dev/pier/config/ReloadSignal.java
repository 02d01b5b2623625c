package dev.pier.config;

import lombok.extern.slf4j.Slf4j;
import org.springframework.context.SmartLifecycle;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code SIGHUP} reloads the configuration ({@code systemctl reload pier}, {@code kill -HUP}), as it
 * does for nginx and most Unix daemons; the JVM's own answer to it would be to shut down. While
 * the server runs only: before and after, {@code SIGHUP} does what it did.
 */
@Slf4j
final class ReloadSignal implements SmartLifecycle {

    private static final String HUP = "HUP";

    private final SiteReload reload;
    private SignalHandler previous;

    ReloadSignal(SiteReload reload) {
        this.reload = reload;
    }

    @Override
    public synchronized void start() {
        try {
            // The JDK runs each signal's handler on a thread of its own; reloads take turns in SiteReload.
            previous = Signal.handle(new Signal(HUP), signal -> reload.reload());
        } catch (IllegalArgumentException e) {
            // -Xrs, or a platform without SIGHUP: the Actuator endpoint still reloads.
            log.warn("SIGHUP cannot reload the configuration here ({}); the reload endpoint can", e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (previous != null) {
            Signal.handle(new Signal(HUP), previous);
            previous = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return previous != null;
    }
}
