package dev.pier.server;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import lombok.extern.slf4j.Slf4j;

/**
 * Where blocking handlers run: a bounded pool of platform threads, or, on Java 21 and later when
 * asked, a virtual thread per task. Either way the number of tasks admitted at once is bounded,
 * and a task beyond it is refused at once ({@link RejectedExecutionException}, a 503), never
 * queued without end and never waited for on an event loop.
 */
@Slf4j
public final class Workers {

    /** {@code Thread.ofVirtual()} as a method, found once: the code is built for Java 17; {@code null} before Java 21. */
    private static final Method OF_VIRTUAL = ofVirtual();

    private Workers() {
    }

    /** Whether this JVM has virtual threads. */
    public static boolean virtualThreadsAvailable() {
        return OF_VIRTUAL != null;
    }

    /**
     * @param prefix thread names are {@code prefix} and a number
     * @param threads platform threads that run tasks
     * @param queue tasks that may wait for one of them
     * @param virtual a virtual thread per task instead, at most {@code threads + queue} at once, all
     *     running: the same number of tasks is admitted, none waits behind another's blocking call
     */
    public static ExecutorService create(String prefix, int threads, int queue, boolean virtual) {
        if (virtual) {
            if (OF_VIRTUAL != null) {
                return new VirtualThreads(factory(prefix), threads + queue);
            }
            log.warn("Virtual threads need Java 21 or later (this is {}); {} runs on platform threads", Runtime.version().feature(), prefix);
        }
        AtomicInteger count = new AtomicInteger();
        ThreadFactory platform = task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((dead, error) -> log.error("{} died", dead.getName(), error));
            return thread;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), platform,
                new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static Method ofVirtual() {
        try {
            return Thread.class.getMethod("ofVirtual");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** {@code Thread.ofVirtual().name(prefix, 1).factory()}. */
    private static ThreadFactory factory(String prefix) {
        try {
            Object builder = OF_VIRTUAL.invoke(null);
            Class<?> type = Class.forName("java.lang.Thread$Builder");
            builder = type.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
            return (ThreadFactory) type.getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Could not make a virtual thread factory", e);
        }
    }

    /** A virtual thread per task, with a bound on how many run at once. */
    private static final class VirtualThreads extends AbstractExecutorService {

        private final ThreadFactory threads;
        private final int limit;
        private final Semaphore admitted;
        private volatile boolean shutdown;

        VirtualThreads(ThreadFactory threads, int limit) {
            this.threads = threads;
            this.limit = limit;
            this.admitted = new Semaphore(limit);
        }

        @Override
        public void execute(Runnable task) {
            if (shutdown || !admitted.tryAcquire()) {
                throw new RejectedExecutionException(shutdown ? "Shut down" : limit + " tasks are running already");
            }
            try {
                threads.newThread(() -> {
                    try {
                        task.run();
                    } finally {
                        admitted.release();
                    }
                }).start();
            } catch (RuntimeException | Error e) {
                admitted.release();
                throw e;
            }
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        /** Virtual threads are not interrupted here: their tasks end with their exchanges, which the server closes. */
        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown && admitted.availablePermits() == limit;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            if (!admitted.tryAcquire(limit, timeout, unit)) {
                return false;
            }
            admitted.release(limit);
            return true;
        }
    }
}
