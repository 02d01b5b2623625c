package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.handler.AddressRange;
import dev.pier.test.LogCapture;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ConnectionsPerAddressTest {

    private static InetAddress address(String literal) {
        return AddressRange.parseAddress(literal);
    }

    @Test
    void whenAnAddressReachesTheCapThenItIsRefusedUntilOneCloses() {
        ConnectionsPerAddress perAddress = new ConnectionsPerAddress(2, List.of());
        InetAddress client = address("192.0.2.1");

        assertThat(perAddress.tryOpen(client)).isTrue();
        assertThat(perAddress.tryOpen(client)).isTrue();
        assertThat(perAddress.tryOpen(client)).isFalse();
        assertThat(perAddress.tryOpen(address("192.0.2.2"))).isTrue();
        assertThat(perAddress.open(client)).isEqualTo(2);

        perAddress.closed(client);
        assertThat(perAddress.tryOpen(client)).isTrue();
    }

    @Test
    void whenTheLastConnectionOfAnAddressClosesThenTheAddressLeavesTheTable() {
        ConnectionsPerAddress perAddress = new ConnectionsPerAddress(3, List.of());
        InetAddress client = address("2001:db8::1");
        perAddress.tryOpen(client);
        perAddress.tryOpen(client);
        assertThat(perAddress.addresses()).isEqualTo(1);

        perAddress.closed(client);
        perAddress.closed(client);

        assertThat(perAddress.addresses()).isZero();
        assertThat(perAddress.open(client)).isZero();
    }

    @Test
    void whenAnIpv4ClientArrivesAsAnIpv4MappedIpv6AddressThenItIsTheSameClient() {
        ConnectionsPerAddress perAddress = new ConnectionsPerAddress(1, List.of());
        assertThat(perAddress.tryOpen(address("203.0.113.7"))).isTrue();

        assertThat(perAddress.tryOpen(address("::ffff:203.0.113.7"))).isFalse();
        assertThat(perAddress.addresses()).isEqualTo(1);
    }

    @Test
    void whenAnAddressIsExemptThenItIsNeverCountedNorRefused() {
        ConnectionsPerAddress perAddress = new ConnectionsPerAddress(1, List.of(AddressRange.parse("10.0.0.0/8")));
        InetAddress checker = address("10.1.2.3");
        for (int i = 0; i < 5; i++) {
            assertThat(perAddress.tryOpen(checker)).isTrue();
        }
        assertThat(perAddress.addresses()).isZero();
        perAddress.closed(checker);
        assertThat(perAddress.addresses()).isZero();
    }

    /**
     * Threads standing for event loops open and close connections of a few addresses at once; a
     * count above the cap at any moment, or a count left over at the end, fails.
     */
    @Test
    void whenManyThreadsOpenAndCloseAtOnceThenTheCapHoldsAndEveryCountEndsAtZero() throws Exception {
        int cap = 3;
        int threads = 8;
        int rounds = 10_000;
        List<InetAddress> addresses = List.of(address("192.0.2.1"), address("192.0.2.2"), address("2001:db8::7"));
        ConnectionsPerAddress perAddress = new ConnectionsPerAddress(cap, List.of());
        AtomicIntegerArray holding = new AtomicIntegerArray(addresses.size());
        AtomicInteger overCap = new AtomicInteger();
        AtomicInteger refusals = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < rounds; i++) {
                        int which = (seed + i) % addresses.size();
                        InetAddress client = addresses.get(which);
                        // One more than the cap, so each round meets it, alone or against the other threads.
                        int opened = 0;
                        for (int attempt = 0; attempt <= cap; attempt++) {
                            if (!perAddress.tryOpen(client)) {
                                refusals.incrementAndGet();
                                continue;
                            }
                            opened++;
                            if (holding.incrementAndGet(which) > cap) {
                                overCap.incrementAndGet();
                            }
                        }
                        for (int c = 0; c < opened; c++) {
                            holding.decrementAndGet(which);
                            perAddress.closed(client);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(overCap).hasValue(0);
        assertThat(refusals.get()).isGreaterThanOrEqualTo(threads * rounds);
        assertThat(perAddress.addresses()).isZero();
        for (InetAddress client : addresses) {
            assertThat(perAddress.open(client)).isZero();
        }
    }

    @Test
    void whenRefusalsComeInABurstThenOneWarningTellsHowMany() {
        try (LogCapture log = LogCapture.of(ConnectionsPerAddress.class)) {
            ConnectionsPerAddress perAddress = new ConnectionsPerAddress(1, List.of());
            long now = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                perAddress.refused(address("192.0.2.9"), now + i);
            }
            perAddress.refused(address("192.0.2.9"), now + TimeUnit.SECONDS.toNanos(61));

            assertThat(log.messages()).hasSize(2)
                    .allSatisfy(line -> assertThat(line).contains("192.0.2.9").contains("pier.limits.connections-per-address"));
            assertThat(log.messages().get(0)).contains(" 1 refused");
            assertThat(log.messages().get(1)).contains(" 100 refused");
        }
    }
}
