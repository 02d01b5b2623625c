package dev.pier.server;

/**
 * A re-armable point in time after which something must happen, kept in its loop's
 * {@link Deadlines}. Owned by one event loop thread.
 */
abstract class Deadline {

    static final long NONE = Long.MAX_VALUE;

    /** When it is due, or {@link #NONE}. */
    long at = NONE;
    /** Its key in the queue: {@link #at} or earlier, since a move to later is applied lazily. */
    long queuedAt = NONE;
    /** Its place in the queue's heap, or -1 when not queued. */
    int index = -1;

    /** Called on the loop thread once {@link #at} has passed. */
    abstract void expire(long nowNanos);
}
