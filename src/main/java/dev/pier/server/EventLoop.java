package dev.pier.server;

import dev.pier.http2.FrameWriter;
import dev.pier.http2.Http2Settings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import lombok.extern.slf4j.Slf4j;

/**
 * One thread that owns one {@link Selector} and every channel registered with it. Only this
 * thread touches its channels, keys and deadlines; other threads hand it work with
 * {@link #execute}. Each turn: run queued tasks, select until the next deadline, dispatch ready
 * keys, expire deadlines.
 */
@Slf4j
final class EventLoop implements Runnable {

    static final int READ_SCRATCH_BYTES = 4096;

    /** Size of a frame buffer: four DATA frames of the default size and their headers. */
    static final int FRAME_BUFFER_BYTES = 4 * (Http2Settings.MIN_MAX_FRAME_SIZE + FrameWriter.HEADER_LENGTH);
    /** Frame buffers a loop makes at most: 4.2 MB of direct memory. */
    private static final int FRAME_BUFFERS = 64;

    /** How often each loop measures its lag: often enough to see a stall, rarely enough to cost nothing. */
    static final Duration LAG_PROBE_INTERVAL = Duration.ofSeconds(1);

    private final String name;
    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Deadlines deadlines = new Deadlines();
    private final Consumer<Throwable> onFatalError;
    private final ServerStats stats;
    private final CountDownLatch terminated = new CountDownLatch(1);
    /**
     * Where connections without a read buffer of their own read into; a connection keeps only the
     * bytes left after parsing, so ten thousand idle connections hold no buffers. Loop thread only.
     */
    private final ByteBuffer readScratch = ByteBuffer.allocate(READ_SCRATCH_BYTES);
    /** Where a file's first bytes are read to leave with its response head (see {@link OutboundQueue}). Loop thread only. */
    private final ByteBuffer fileLead = ByteBuffer.allocateDirect(OutboundQueue.SEGMENT);
    /** Direct buffers HTTP/2 sessions assemble frames in, lent and given back; at most {@link #FRAME_BUFFERS} made. Loop thread only. */
    private final ArrayDeque<ByteBuffer> frameBuffers = new ArrayDeque<>();
    private int frameBuffersMade;
    private final Thread thread;
    /** Connections this loop owns or is about to: counted by acceptors of any loop, so atomic. */
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean running = true;
    /** The time at the start of this turn; timeouts need no finer grain. Loop thread only. */
    private long now = System.nanoTime();
    /** A timer on this loop's own deadline queue that notes how late it fires. Loop thread only. */
    private final LagProbe lagProbe = new LagProbe();

    /**
     * @param onFatalError told of a {@link VirtualMachineError} met while serving, and of whatever
     *     kills the loop
     */
    EventLoop(String name, Consumer<Throwable> onFatalError, ServerStats stats) throws IOException {
        this.name = name;
        this.selector = Selector.open();
        this.onFatalError = onFatalError;
        this.stats = stats;
        this.thread = new Thread(this, name);
    }

    void start() {
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    /** The scratch buffer, cleared; valid until the caller returns to the loop. */
    ByteBuffer readScratch() {
        return readScratch.clear();
    }

    ByteBuffer fileLead() {
        return fileLead;
    }

    /**
     * A direct buffer of {@link #FRAME_BUFFER_BYTES} to assemble frames in, lent until
     * {@link #giveBack}: a file read into it and the socket written from it copy nothing through the
     * heap. {@code null} once all {@link #FRAME_BUFFERS} are lent: the caller uses a heap buffer.
     */
    ByteBuffer lendFrameBuffer() {
        ByteBuffer buffer = frameBuffers.poll();
        if (buffer == null && frameBuffersMade < FRAME_BUFFERS) {
            frameBuffersMade++;
            buffer = ByteBuffer.allocateDirect(FRAME_BUFFER_BYTES);
        }
        return buffer == null ? null : buffer.clear();
    }

    /** A lent frame buffer whose bytes are all written, or dropped. */
    void giveBack(ByteBuffer frameBuffer) {
        frameBuffers.push(frameBuffer);
    }

    boolean isReadScratch(ByteBuffer buffer) {
        return buffer == readScratch;
    }

    /** How many connections this loop serves, for acceptors choosing where a new one goes. */
    int load() {
        return connections.get();
    }

    /** A connection is on its way to this loop. */
    void assigned() {
        connections.incrementAndGet();
    }

    /** One of this loop's connections has closed. */
    void released() {
        connections.decrementAndGet();
    }

    Deadlines deadlines() {
        return deadlines;
    }

    long now() {
        return now;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs a task on this loop's thread, soon. Any thread may call it. */
    void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop()) {
            selector.wakeup();
        }
    }

    @Override
    public void run() {
        try {
            lagProbe.arm(System.nanoTime());
            while (running) {
                runTasks();
                long wait = deadlines.nanosUntilNext(System.nanoTime());
                if (wait < 0) {
                    selector.select(this::dispatch);
                } else if (wait < TimeUnit.MILLISECONDS.toNanos(1)) {
                    selector.selectNow(this::dispatch);
                } else {
                    selector.select(this::dispatch, TimeUnit.NANOSECONDS.toMillis(wait));
                }
                now = System.nanoTime();
                deadlines.expire(now);
            }
        } catch (ClosedSelectorException e) {
            log.debug("{} stopped", name);
        } catch (Throwable e) {
            log.error("{} died; its connections are closed and the server cannot serve them any more", name, e);
            onFatalError.accept(e);
        } finally {
            closeAll();
            terminated.countDown();
        }
    }

    private void runTasks() {
        now = System.nanoTime();
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException | StackOverflowError e) {
                stats.unexpectedFailure();
                log.error("Task on {} failed", name, e);
            } catch (VirtualMachineError e) {
                fatal(e, null);
            }
        }
    }

    private void dispatch(SelectionKey key) {
        Selectable selectable = (Selectable) key.attachment();
        try {
            if (key.isValid()) {
                selectable.onReady(key.readyOps());
            }
        } catch (RuntimeException | StackOverflowError e) {
            stats.unexpectedFailure();
            log.error("Unexpected failure on {}; closing that connection", name, e);
            selectable.close();
        } catch (VirtualMachineError e) {
            fatal(e, selectable);
        }
    }

    /**
     * Out of memory, say, while serving one connection: closing it may free what it held, so the
     * loop goes on serving the others, but the error is reported (liveness turns BROKEN) rather than
     * swallowed. Run with {@code -XX:+ExitOnOutOfMemoryError} to leave at once instead.
     */
    private void fatal(VirtualMachineError error, Selectable selectable) {
        log.error("{} met a fatal error; reporting it and closing the connection concerned", name, error);
        try {
            onFatalError.accept(error);
        } finally {
            if (selectable != null) {
                selectable.close();
            }
        }
    }

    private void closeAll() {
        List<Selectable> open = new ArrayList<>();
        try {
            for (SelectionKey key : selector.keys()) {
                open.add((Selectable) key.attachment());
            }
        } catch (ClosedSelectorException ignored) {
            // Already closed: nothing left registered.
        }
        open.forEach(Selectable::close);
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("Closing the selector of {} failed", name, e);
        }
    }

    /** Tells every listener and connection of this loop that a graceful shutdown has begun; loop thread only. */
    void beginDrain() {
        List<Selectable> registered = new ArrayList<>();
        for (SelectionKey key : selector.keys()) {
            if (key.isValid()) {
                registered.add((Selectable) key.attachment());
            }
        }
        registered.forEach(Selectable::onDrain);
        // A closed channel that is still registered keeps its socket until the selector deregisters it
        // at its next selection, and a listener's socket goes on taking connections into its backlog
        // meanwhile: select now, so the port refuses before the drain reports the listeners closed.
        try {
            selector.selectNow(this::dispatch);
        } catch (IOException e) {
            log.debug("Selecting after the drain began failed on {}", name, e);
        }
    }

    /** Asks the loop to close its channels and end; returns at once. */
    void stop() {
        running = false;
        selector.wakeup();
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * Event-loop lag, measured the way the loop itself sees time: a deadline due at {@code at}
     * expires only once the loop has finished the turn in which it fell due (its tasks, its ready
     * keys), so {@code now - at} is how long anything due then waited. One queue entry per second;
     * no thread, no wakeup of its own.
     */
    private final class LagProbe extends Deadline {

        /** When the probe is due; {@link Deadline#at} is cleared before {@link #expire} runs. */
        private long due;

        void arm(long from) {
            due = from + LAG_PROBE_INTERVAL.toNanos();
            deadlines.arm(this, due);
        }

        @Override
        void expire(long nowNanos) {
            stats.eventLoopLag(name, Math.max(0, nowNanos - due));
            arm(nowNanos);
        }
    }
}
