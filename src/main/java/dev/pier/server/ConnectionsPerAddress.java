package dev.pier.server;

import dev.pier.handler.AddressRange;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import lombok.extern.slf4j.Slf4j;

/**
 * How many connections each client address has open, against a cap (nginx's {@code limit_conn},
 * HAProxy's {@code src_conn_cur}). The address is the TCP peer's: behind a proxy, the proxy's.
 * Acceptors of every loop open and connections of every loop close concurrently, so each count
 * changes inside the map's atomic {@code compute} for its key, and an address leaves the map when
 * its count returns to zero: the map holds only addresses with a connection open, at most the
 * listeners' connection limits in all.
 *
 * <p>The JDK already reports a peer of a dual-stack socket that connected over IPv4 as an
 * {@code Inet4Address}, never as {@code ::ffff:a.b.c.d}, so one client is one key whichever way
 * it came; an IPv6 client counts per full address, as nginx's {@code $binary_remote_addr} does.
 */
@Slf4j
final class ConnectionsPerAddress {

    private static final long WARNING_INTERVAL_NANOS = 60_000_000_000L;

    private final int limit;
    private final List<AddressRange> exempt;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    /** Refusals not yet told in a warning; the thread that swaps it for 0 logs them. */
    private final AtomicLong unwarned = new AtomicLong();
    private final AtomicLong warnedAt;

    /**
     * @param limit most connections open at once from one address, at least 1
     * @param exempt addresses never counted nor refused (health checkers, a known proxy)
     */
    ConnectionsPerAddress(int limit, List<AddressRange> exempt) {
        if (limit < 1) {
            throw new IllegalArgumentException("Invalid connection limit per address " + limit);
        }
        this.limit = limit;
        this.exempt = List.copyOf(exempt);
        this.warnedAt = new AtomicLong(System.nanoTime() - WARNING_INTERVAL_NANOS - 1);
    }

    /**
     * Counts a connection from this address open if it stays within the cap; any thread.
     *
     * @return false if the address has the cap open already: nothing was counted
     */
    boolean tryOpen(InetAddress address) {
        if (isExempt(address)) {
            return true;
        }
        boolean[] admitted = new boolean[1];
        open.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= limit) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        return admitted[0];
    }

    /**
     * Counts a connection that {@link #tryOpen} admitted closed; any thread, once per connection.
     * An exempt address was never counted, so it is not in the map and nothing changes.
     */
    void closed(InetAddress address) {
        open.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
    }

    /** Connections open from this address now, as counted. */
    int open(InetAddress address) {
        Integer count = open.get(address);
        return count == null ? 0 : count;
    }

    /** Addresses with at least one counted connection open: the map's size. */
    int addresses() {
        return open.size();
    }

    /**
     * A connection was refused: a warning at most once a minute for all loops, saying how many were
     * refused since the last, so a flood from one address costs one line a minute.
     */
    void refused(InetAddress address, long nowNanos) {
        unwarned.incrementAndGet();
        long last = warnedAt.get();
        if (nowNanos - last > WARNING_INTERVAL_NANOS && warnedAt.compareAndSet(last, nowNanos)) {
            long pending = unwarned.getAndSet(0);
            log.warn("Refused a connection from {}, which has {} open, the limit (pier.limits.connections-per-address);"
                    + " {} refused in all since the last warning", address.getHostAddress(), limit, pending);
        }
    }

    private boolean isExempt(InetAddress address) {
        for (AddressRange range : exempt) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
