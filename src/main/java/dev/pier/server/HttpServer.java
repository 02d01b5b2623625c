package dev.pier.server;

import dev.pier.handler.HttpHandler;
import dev.pier.handler.Listener;
import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import lombok.extern.slf4j.Slf4j;

/**
 * Pier's HTTP/1.1 server: the application's listening socket (and a management one if
 * configured), {@link ServerSettings#eventLoops()} event loops that own the connections, and a
 * bounded pool for blocking handlers. With {@link ServerSettings#tls()} the application's port
 * speaks HTTPS, TLS handshakes compute on a small pool of their own, and an optional plain-HTTP
 * port redirects to it. Knows nothing of Spring.
 */
@Slf4j
public final class HttpServer {

    /** One listening socket, the handlers it serves and the count of its open connections. */
    private record Binding(ServerSocketChannel channel, int port, HandlerChain handlers, Drain drain) {
    }

    private final ServerSettings settings;
    private List<HttpHandler> handlers;
    private final Consumer<Throwable> onFatalError;
    private final ExchangeObserver observer;
    private final ServerStats stats = new ServerStats();
    private Binding application;
    private Binding management;
    /** The plain-HTTP port that redirects to HTTPS, or {@code null}. */
    private Binding redirect;
    private EventLoop[] loops;
    private ExecutorService workers;
    /** Runs TLS engines' delegated tasks (handshake computations) off the event loops; {@code null} without TLS. */
    private ThreadPoolExecutor tlsTasks;
    /** Set while a graceful shutdown waits; whoever takes it (the drain or a stop) reports the result. */
    private final AtomicReference<Consumer<GracefulShutdownResult>> shutdownCallback = new AtomicReference<>();

    /**
     * @param handlers in the order they are asked; the last should accept every request. Those for
     *     {@link Listener#MANAGEMENT} go to the management listener when the settings have one.
     * @param onFatalError told of a {@link VirtualMachineError} (out of memory, say) met by a
     *     handler, a worker or an event loop, and when an event loop dies of an error it cannot contain
     * @param observer told of every exchange as it ends, on the event loop (access logs, metrics)
     */
    public HttpServer(ServerSettings settings, List<? extends HttpHandler> handlers, Consumer<Throwable> onFatalError, ExchangeObserver observer) {
        this.settings = settings;
        this.handlers = List.copyOf(handlers);
        this.onFatalError = onFatalError;
        this.observer = observer;
    }

    /** A server nobody observes, for embedding and tests. */
    public HttpServer(ServerSettings settings, List<? extends HttpHandler> handlers, Consumer<Throwable> onFatalError) {
        this(settings, handlers, onFatalError, ExchangeObserver.NONE);
    }

    /**
     * Binds the ports and starts serving.
     *
     * @throws CannotListenException if an address is in use or cannot be bound
     */
    public synchronized void start() throws IOException {
        if (application != null) {
            throw new IllegalStateException("Already started");
        }
        ServerSettings.Management managementSettings = settings.management();
        Binding app = bind(CannotListenException.Socket.APPLICATION, settings.address(), settings.port(), served(Listener.APPLICATION));
        Binding mgmt = null;
        if (managementSettings != null) {
            try {
                mgmt = bind(CannotListenException.Socket.MANAGEMENT, managementSettings.address(), managementSettings.port(),
                        served(Listener.MANAGEMENT));
            } catch (IOException e) {
                app.channel.close();
                throw e;
            }
        }
        Binding redir = null;
        ServerSettings.Tls tls = settings.tls();
        if (tls != null && tls.httpRedirectPort() >= 0) {
            try {
                redir = bind(CannotListenException.Socket.HTTP_REDIRECT, settings.address(), tls.httpRedirectPort(), List.of(new HttpsRedirectHandler(app.port)));
            } catch (IOException e) {
                app.channel.close();
                if (mgmt != null) {
                    mgmt.channel.close();
                }
                throw e;
            }
        }
        application = app;
        management = mgmt;
        redirect = redir;
        workers = Workers.create("pier-worker-", settings.workerThreads(), settings.workerQueue(), settings.virtualWorkers());
        tlsTasks = tls == null ? null : newTlsTaskPool();
        loops = new EventLoop[settings.eventLoops()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop("pier-loop-" + i, onFatalError, stats);
        }
        warnIfFileDescriptorsShort();
        ConnectionsPerAddress perAddress = perAddress();
        accept(app, tls == null ? null : new TlsEndpoint(tls.context(), tlsTasks, tls.strictTransportSecurity(), settings.http2() != null), perAddress);
        if (mgmt != null) {
            // Uncapped: probes and scrapes come from few addresses, and must get through when a client is capped.
            accept(mgmt, null, null);
        }
        if (redir != null) {
            accept(redir, null, perAddress);
        }
        for (EventLoop loop : loops) {
            loop.start();
        }
    }

    /**
     * Serves these handlers from the next request on, as {@link #HttpServer the constructor}'s
     * list would have (a reload). Requests in flight finish with the handlers they started with;
     * no connection notices.
     */
    public synchronized void replaceHandlers(List<? extends HttpHandler> replacement) {
        handlers = List.copyOf(replacement);
        if (application != null) {
            application.handlers.replace(served(Listener.APPLICATION));
        }
        if (management != null) {
            management.handlers.replace(served(Listener.MANAGEMENT));
        }
    }

    /** The handlers a listener serves: all of them when the management port is not separate. */
    private List<HttpHandler> served(Listener listener) {
        return settings.management() == null ? handlers : handlers.stream().filter(handler -> handler.listener() == listener).toList();
    }

    private Binding bind(CannotListenException.Socket socket, InetAddress address, int port, List<HttpHandler> served) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        InetSocketAddress local = new InetSocketAddress(address, port);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(local, settings.backlog());
            channel.configureBlocking(false);
        } catch (BindException e) {
            channel.close();
            throw new CannotListenException(socket, local, e);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new Binding(channel, ((InetSocketAddress) channel.getLocalAddress()).getPort(), new HandlerChain(served, stats),
                new Drain(settings.connections().max()));
    }

    /**
     * A connection holds a socket and, while it sends a file, that file too. Past the process's
     * limit on open files, accepting fails (and pauses) before the connection limit is reached;
     * worth a warning, as nginx warns when {@code worker_connections} exceed it.
     */
    private void warnIfFileDescriptorsShort() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            long max = os.getMaxFileDescriptorCount();
            long wanted = 2L * settings.connections().max() * (settings.management() == null ? 1 : 2);
            if (max > 0 && wanted > max) {
                log.warn("pier.limits.connections ({}) may need up to {} file descriptors, but this process may open only {} (ulimit -n);"
                        + " accepting will pause when they run out", settings.connections().max(), wanted, max);
            }
        }
    }

    /**
     * One count for the application's and the redirect port, made per start so that a restart
     * begins from zero; {@code null} without a cap, so that accepting touches no map.
     */
    private ConnectionsPerAddress perAddress() {
        ServerSettings.Connections connections = settings.connections();
        if (connections.perAddress() == 0) {
            stats.countAddressesWith(null);
            return null;
        }
        ConnectionsPerAddress perAddress = new ConnectionsPerAddress(connections.perAddress(), connections.perAddressExempt());
        stats.countAddressesWith(perAddress::addresses);
        return perAddress;
    }

    /**
     * Registers the binding's listener with every loop, each accepting for itself ({@link Acceptor}); {@code tls} null
     * for plain HTTP, {@code perAddress} null for no cap per client address.
     */
    private void accept(Binding binding, TlsEndpoint tls, ConnectionsPerAddress perAddress) {
        Dispatcher dispatcher = new Dispatcher(binding.handlers, workers, onFatalError);
        Listening listening = new Listening(dispatcher, binding.drain, stats, observer, tls, perAddress);
        for (EventLoop loop : loops) {
            Acceptor acceptor = new Acceptor(binding.channel, loop, loops, listening,
                    (home, accepted, peer) -> Connection.open(home, accepted, peer, settings, listening));
            loop.execute(() -> {
                try {
                    acceptor.register();
                } catch (IOException e) {
                    throw new IllegalStateException("Could not register the listener", e);
                }
            });
        }
    }

    /**
     * Handshakes are CPU work (key exchange, signatures: about a millisecond each), so one thread per
     * processor; the queue is unbounded, as each connection waits for at most one batch of tasks and
     * the connection limit bounds them.
     */
    private ThreadPoolExecutor newTlsTaskPool() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = task -> {
            Thread thread = new Thread(task, "pier-tls-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        int size = Runtime.getRuntime().availableProcessors();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** What the server has done so far; counts survive {@link #stop()}. */
    public ServerStats stats() {
        return stats;
    }

    /** The application's bound port, known once started (useful with port 0). */
    public synchronized int port() {
        if (application == null) {
            throw new IllegalStateException("Not started");
        }
        return application.port;
    }

    /** The management listener's bound port, or -1 when handlers share the application's port. */
    public synchronized int managementPort() {
        if (application == null) {
            throw new IllegalStateException("Not started");
        }
        return management == null ? -1 : management.port;
    }

    /** The plain-HTTP port that redirects to HTTPS, or -1 when there is none. */
    public synchronized int httpRedirectPort() {
        if (application == null) {
            throw new IllegalStateException("Not started");
        }
        return redirect == null ? -1 : redirect.port;
    }

    public synchronized boolean isRunning() {
        return application != null;
    }

    /**
     * Stops taking new connections on the application's port and lets the open ones finish: idle
     * connections close now, busy ones after their current response, which says
     * {@code Connection: close}. The management listener keeps serving. The callback hears
     * {@link GracefulShutdownResult#IDLE} once the last connection has closed, or
     * {@link GracefulShutdownResult#REQUESTS_ACTIVE} if {@link #stop()} cuts the wait short.
     */
    public synchronized void shutDownGracefully(Consumer<GracefulShutdownResult> callback) {
        if (application == null) {
            callback.accept(GracefulShutdownResult.IDLE);
            return;
        }
        log.info("Commencing graceful shutdown. Waiting for active requests to complete");
        Drain drain = application.drain;
        shutdownCallback.set(callback);
        CompletableFuture<Void> idle = drain.begin();
        if (redirect != null) {
            // The redirect port is part of the application: it closes too, and is waited for.
            idle = CompletableFuture.allOf(idle, redirect.drain.begin());
        }
        // Idle only once every loop has closed its listeners too: the last connection may close
        // on one loop before another has run its part, and the port must refuse by then.
        CompletableFuture<?>[] listenersClosed = new CompletableFuture<?>[loops.length];
        for (int i = 0; i < loops.length; i++) {
            EventLoop loop = loops[i];
            CompletableFuture<Void> begun = new CompletableFuture<>();
            listenersClosed[i] = begun;
            loop.execute(() -> {
                try {
                    loop.beginDrain();
                } finally {
                    begun.complete(null);
                }
            });
        }
        CompletableFuture.allOf(idle, CompletableFuture.allOf(listenersClosed))
                .thenRun(() -> completeShutdown(GracefulShutdownResult.IDLE, drain));
    }

    /** Reports the result once; runs on the thread that closed the last connection, or in {@link #stop()}. */
    private void completeShutdown(GracefulShutdownResult result, Drain drain) {
        Consumer<GracefulShutdownResult> callback = shutdownCallback.getAndSet(null);
        if (callback == null) {
            return;
        }
        if (result == GracefulShutdownResult.IDLE) {
            log.info("Graceful shutdown complete");
        } else {
            log.info("Graceful shutdown aborted with {} active connection(s)", drain.open());
        }
        callback.accept(result);
    }

    /** Closes the listeners and every connection at once, then waits briefly for the loops to end. */
    public synchronized void stop() {
        if (application == null) {
            return;
        }
        completeShutdown(GracefulShutdownResult.REQUESTS_ACTIVE, application.drain);
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
        if (tlsTasks != null) {
            tlsTasks.shutdownNow();
        }
        application = null;
        management = null;
        redirect = null;
        loops = null;
    }
}
