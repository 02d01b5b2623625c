package dev.pier.rules;

import java.time.Clock;
import java.time.Instant;

/**
 * Whether the site is in maintenance: the one switch that {@code pier.maintenance.enabled} sets at
 * startup and the Actuator operation flips at run time, shared by them and the
 * {@link MaintenanceFilter}. Read by every request on any thread, written rarely from any thread:
 * one volatile snapshot, so a reader never sees the state and its time from two different switches.
 */
public final class Maintenance {

    /**
     * @param enabled whether requests other than probes and Actuator answer 503
     * @param since when the switch was last set, at startup or at run time
     */
    public record State(boolean enabled, Instant since) {
    }

    private final Clock clock;
    private volatile State state;

    public Maintenance(boolean enabled) {
        this(enabled, Clock.systemUTC());
    }

    Maintenance(boolean enabled, Clock clock) {
        this.clock = clock;
        this.state = new State(enabled, clock.instant());
    }

    public boolean isEnabled() {
        return state.enabled();
    }

    public State state() {
        return state;
    }

    /**
     * Sets the switch; setting it to what it already is keeps its time.
     *
     * @return the state now
     */
    public synchronized State set(boolean enabled) {
        if (state.enabled() != enabled) {
            state = new State(enabled, clock.instant());
        }
        return state;
    }
}
