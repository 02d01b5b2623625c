package dev.pier.server;

/**
 * A re-armable point in time after which something must happen, kept in its loop's
 * {@link Deadlines}. Owned by one event loop thread.
 *
 * <p>Re-arming to a later time (every read on a busy connection does) touches no queue: the old
 * entry fires, sees the later time and queues itself again. Only an earlier time adds an entry.
 */
abstract class Deadline {

    static final long NONE = Long.MAX_VALUE;

    long at = NONE;
    /** The time of this deadline's live queue entry, or {@link #NONE} if it has none. */
    long queuedAt = NONE;

    /** Called on the loop thread once {@link #at} has passed. */
    abstract void expire(long nowNanos);
}
