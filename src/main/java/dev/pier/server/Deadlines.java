package dev.pier.server;

import java.util.PriorityQueue;

/** The deadline-ordered queue of one event loop: one structure for all its timeouts, no timer threads. */
final class Deadlines {

    private record Entry(long at, Deadline deadline) {
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));

    void arm(Deadline deadline, long atNanos) {
        deadline.at = atNanos;
        if (atNanos < deadline.queuedAt) {
            deadline.queuedAt = atNanos;
            queue.add(new Entry(atNanos, deadline));
        }
    }

    void disarm(Deadline deadline) {
        deadline.at = Deadline.NONE;
    }

    /** Nanoseconds until the earliest entry, or {@code -1} if there is none. */
    long nanosUntilNext(long nowNanos) {
        Entry next = queue.peek();
        return next == null ? -1 : Math.max(0, next.at - nowNanos);
    }

    /** Fires every deadline that has passed and re-queues those that were moved later. */
    void expire(long nowNanos) {
        Entry next;
        while ((next = queue.peek()) != null && next.at - nowNanos <= 0) {
            queue.poll();
            Deadline deadline = next.deadline;
            if (deadline.queuedAt != next.at) {
                continue;
            }
            deadline.queuedAt = Deadline.NONE;
            if (deadline.at == Deadline.NONE) {
                continue;
            }
            if (deadline.at - nowNanos > 0) {
                arm(deadline, deadline.at);
            } else {
                deadline.at = Deadline.NONE;
                deadline.expire(nowNanos);
            }
        }
    }

    int size() {
        return queue.size();
    }
}
