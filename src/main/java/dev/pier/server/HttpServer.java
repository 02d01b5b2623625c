package dev.pier.server;

import dev.pier.handler.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import lombok.extern.slf4j.Slf4j;

/**
 * Pier's HTTP/1.1 server: a listening socket, {@link ServerSettings#eventLoops()} event loops
 * that own the connections, and a bounded pool for blocking handlers. Knows nothing of Spring.
 */
@Slf4j
public final class HttpServer {

    private final ServerSettings settings;
    private final List<? extends HttpHandler> handlers;
    private final Consumer<Throwable> onFatalError;
    private ServerSocketChannel listener;
    private EventLoop[] loops;
    private ThreadPoolExecutor workers;
    private int port = -1;

    /**
     * @param handlers in the order they are asked; the last should accept every request
     * @param onFatalError told when an event loop dies of an error it cannot contain
     */
    public HttpServer(ServerSettings settings, List<? extends HttpHandler> handlers, Consumer<Throwable> onFatalError) {
        this.settings = settings;
        this.handlers = List.copyOf(handlers);
        this.onFatalError = onFatalError;
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws java.net.BindException if the address is in use or cannot be bound
     */
    public synchronized void start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException("Already started");
        }
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(settings.address(), settings.port()), settings.backlog());
            channel.configureBlocking(false);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        listener = channel;
        port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        workers = newWorkerPool();
        Dispatcher dispatcher = new Dispatcher(new HandlerChain(handlers), workers);
        loops = new EventLoop[settings.eventLoops()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop("pier-loop-" + i, onFatalError);
        }
        EventLoop home = loops[0];
        Acceptor acceptor = new Acceptor(channel, home, loops, (loop, accepted) -> Connection.open(loop, accepted, settings, dispatcher));
        home.execute(() -> {
            try {
                acceptor.register();
            } catch (IOException e) {
                throw new IllegalStateException("Could not register the listener", e);
            }
        });
        for (EventLoop loop : loops) {
            loop.start();
        }
    }

    private ThreadPoolExecutor newWorkerPool() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = task -> {
            Thread thread = new Thread(task, "pier-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.workerQueue()), threads, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The bound port, known once started (useful with port 0). */
    public synchronized int port() {
        if (port < 0) {
            throw new IllegalStateException("Not started");
        }
        return port;
    }

    public synchronized boolean isRunning() {
        return listener != null;
    }

    /** Closes the listener and every connection at once, then waits briefly for the loops to end. */
    public synchronized void stop() {
        if (listener == null) {
            return;
        }
        for (EventLoop loop : loops) {
            loop.stop();
        }
        try {
            for (EventLoop loop : loops) {
                if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("{} did not stop within 5 s", loop);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        listener = null;
        loops = null;
        port = -1;
    }
}
