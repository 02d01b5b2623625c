package dev.pier.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link WorkersTest} in a Java 21+ JVM: prints the thread each admitted task ran on and
 * whether the task past the bound was refused.
 */
public final class VirtualWorkersProbe {

    public static void main(String[] args) throws Exception {
        ExecutorService workers = Workers.create("probe-", 1, 1, true);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        String[] threads = new String[2];
        for (int i = 0; i < 2; i++) {
            int task = i;
            workers.execute(() -> {
                threads[task] = Thread.currentThread().toString();
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        boolean bothRunning = started.await(10, TimeUnit.SECONDS);
        String third;
        try {
            workers.execute(() -> { });
            third = "admitted";
        } catch (RejectedExecutionException e) {
            third = "refused";
        }
        release.countDown();
        workers.shutdown();
        System.out.println("running-at-once=" + bothRunning);
        System.out.println("third=" + third);
        System.out.println("drained=" + workers.awaitTermination(10, TimeUnit.SECONDS));
        System.out.println("thread0=" + threads[0]);
        System.out.println("thread1=" + threads[1]);
    }
}
