package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private final Deadlines deadlines = new Deadlines();
    private final List<String> fired = new ArrayList<>();

    private Deadline named(String name) {
        return new Deadline() {
            @Override
            void expire(long nowNanos) {
                fired.add(name);
            }
        };
    }

    @Test
    void whenDeadlinesPassThenTheyFireInTimeOrderOnlyOnce() {
        deadlines.arm(named("c"), 30);
        deadlines.arm(named("a"), 10);
        deadlines.arm(named("b"), 20);

        deadlines.expire(25);
        deadlines.expire(40);

        assertThat(fired).containsExactly("a", "b", "c");
        assertThat(deadlines.size()).isZero();
        assertThat(deadlines.nanosUntilNext(40)).isEqualTo(-1);
    }

    @Test
    void whenDisarmedThenItLeavesTheQueueAtOnce() {
        Deadline closed = named("closed");
        deadlines.arm(closed, 60_000);
        deadlines.arm(named("open"), 70_000);

        deadlines.disarm(closed);

        assertThat(deadlines.size()).isEqualTo(1);
        deadlines.expire(80_000);
        assertThat(fired).containsExactly("open");
    }

    @Test
    void whenRearmedLaterThenItFiresAtTheLaterTimeNotBefore() {
        Deadline busy = named("busy");
        deadlines.arm(busy, 10);
        deadlines.arm(busy, 50);

        deadlines.expire(20);
        assertThat(fired).isEmpty();
        assertThat(deadlines.nanosUntilNext(20)).isEqualTo(30);

        deadlines.expire(50);
        assertThat(fired).containsExactly("busy");
    }

    @Test
    void whenRearmedEarlierThenItFiresAtTheEarlierTime() {
        Deadline urgent = named("urgent");
        deadlines.arm(named("other"), 40);
        deadlines.arm(urgent, 100);
        deadlines.arm(urgent, 5);

        deadlines.expire(10);

        assertThat(fired).containsExactly("urgent");
    }

    @Test
    void whenThousandsAreArmedDisarmedAndMovedThenEveryLiveOneFiresInOrder() {
        Random random = new Random(42);
        List<Deadline> all = new ArrayList<>();
        long[] due = new long[5000];
        for (int i = 0; i < due.length; i++) {
            int id = i;
            Deadline deadline = new Deadline() {
                @Override
                void expire(long nowNanos) {
                    assertThat(due[id]).isLessThanOrEqualTo(nowNanos);
                    fired.add(Integer.toString(id));
                }
            };
            due[i] = 1 + random.nextInt(1_000_000);
            deadlines.arm(deadline, due[i]);
            all.add(deadline);
        }
        int live = 0;
        for (int i = 0; i < due.length; i++) {
            switch (random.nextInt(3)) {
                case 0 -> {
                    deadlines.disarm(all.get(i));
                    due[i] = -1;
                }
                case 1 -> {
                    due[i] = 1 + random.nextInt(2_000_000);
                    deadlines.arm(all.get(i), due[i]);
                    live++;
                }
                default -> live++;
            }
        }
        assertThat(deadlines.size()).isEqualTo(live);

        for (long now = 0; now <= 2_000_000; now += 10_000) {
            deadlines.expire(now);
        }

        assertThat(fired).hasSize(live);
        assertThat(deadlines.size()).isZero();
    }
}
