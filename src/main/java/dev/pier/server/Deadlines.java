package dev.pier.server;

import java.util.Arrays;

/**
 * The deadline-ordered queue of one event loop: one structure for all its timeouts, no timer
 * threads. A binary min-heap that knows each deadline's place, so a closed connection's deadline
 * leaves the queue at once (a queue that only dropped entries when they fell due would hold every
 * connection of the last keep-alive period: a million at 16,000 connections a second).
 *
 * <p>Re-arming to a later time, which every read of a busy connection does, only moves
 * {@link Deadline#at}: the entry keeps its place, and when it comes up early it is moved down to
 * its real time. Only an earlier time reorders the heap at once.
 */
final class Deadlines {

    private Deadline[] heap = new Deadline[64];
    private int size;

    void arm(Deadline deadline, long atNanos) {
        deadline.at = atNanos;
        if (deadline.index < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            deadline.queuedAt = atNanos;
            deadline.index = size;
            heap[size++] = deadline;
            siftUp(deadline.index);
        } else if (atNanos - deadline.queuedAt < 0) {
            deadline.queuedAt = atNanos;
            siftUp(deadline.index);
        }
    }

    void disarm(Deadline deadline) {
        deadline.at = Deadline.NONE;
        if (deadline.index >= 0) {
            removeAt(deadline.index);
        }
    }

    /** Nanoseconds until the earliest entry, or {@code -1} if there is none. */
    long nanosUntilNext(long nowNanos) {
        return size == 0 ? -1 : Math.max(0, heap[0].queuedAt - nowNanos);
    }

    /** Fires every deadline that has passed and moves down those that were re-armed later. */
    void expire(long nowNanos) {
        while (size > 0 && heap[0].queuedAt - nowNanos <= 0) {
            Deadline deadline = heap[0];
            if (deadline.at - nowNanos > 0) {
                deadline.queuedAt = deadline.at;
                siftDown(0);
            } else {
                removeAt(0);
                deadline.at = Deadline.NONE;
                deadline.expire(nowNanos);
            }
        }
    }

    int size() {
        return size;
    }

    private void removeAt(int index) {
        Deadline removed = heap[index];
        removed.index = -1;
        removed.queuedAt = Deadline.NONE;
        Deadline last = heap[--size];
        heap[size] = null;
        if (index < size) {
            heap[index] = last;
            last.index = index;
            siftDown(index);
            siftUp(last.index);
        }
    }

    private void siftUp(int index) {
        Deadline moving = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (heap[parent].queuedAt - moving.queuedAt <= 0) {
                break;
            }
            place(heap[parent], index);
            index = parent;
        }
        place(moving, index);
    }

    private void siftDown(int index) {
        Deadline moving = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && heap[right].queuedAt - heap[child].queuedAt < 0) {
                child = right;
            }
            if (moving.queuedAt - heap[child].queuedAt <= 0) {
                break;
            }
            place(heap[child], index);
            index = child;
        }
        place(moving, index);
    }

    private void place(Deadline deadline, int index) {
        heap[index] = deadline;
        deadline.index = index;
    }
}
