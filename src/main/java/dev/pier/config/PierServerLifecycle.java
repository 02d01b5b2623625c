package dev.pier.config;

import dev.pier.server.CannotListenException;
import dev.pier.server.HttpServer;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Starts the server once the context is refreshed and stops it at shutdown, in the phase Spring
 * Boot gives its own web servers. Publishes the bound ports as {@code local.server.port},
 * {@code local.management.port} and {@code local.http-redirect.port}.
 */
@Slf4j
final class PierServerLifecycle implements SmartLifecycle {

    /** Boot's {@code WebServerStartStopLifecycle} phase: after most beans start, stopped late. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    private final HttpServer server;
    private final ServerBindingProperties binding;
    private final ManagementBindingProperties management;
    private final Path documentRoot;
    private final ConfigurableEnvironment environment;

    PierServerLifecycle(HttpServer server, ServerBindingProperties binding, ManagementBindingProperties management, Path documentRoot,
            ConfigurableEnvironment environment) {
        this.server = server;
        this.binding = binding;
        this.management = management;
        this.documentRoot = documentRoot;
        this.environment = environment;
    }

    @Override
    public void start() {
        try {
            server.start();
        } catch (CannotListenException e) {
            String portProperty = switch (e.socket()) {
                case APPLICATION -> "server.port";
                case MANAGEMENT -> "management.server.port";
                case HTTP_REDIRECT -> "pier.http-redirect-port";
            };
            if (e.addressInUse()) {
                throw new PortInUseException(e.address().getPort(), portProperty, e);
            }
            String addressProperty = e.socket() == CannotListenException.Socket.MANAGEMENT ? "management.server.address" : "server.address";
            throw new CannotBindException(e, addressProperty, portProperty);
        } catch (IOException e) {
            throw new IllegalStateException("Pier could not open its listening socket: " + e.getMessage(), e);
        }
        publishPort("local.server.port", server.port());
        log.info("Pier serving {} on {}://{}:{}", documentRoot, binding.ssl().active() ? "https" : "http", describe(binding.address()), server.port());
        if (server.httpRedirectPort() >= 0) {
            publishPort("local.http-redirect.port", server.httpRedirectPort());
            log.info("Pier redirecting http://{}:{} to HTTPS", describe(binding.address()), server.httpRedirectPort());
        }
        if (server.managementPort() >= 0) {
            publishPort("local.management.port", server.managementPort());
            log.info("Pier serving Actuator on http://{}:{}", describe(management.address()), server.managementPort());
        }
    }

    private static String describe(InetAddress address) {
        if (address == null) {
            return "localhost";
        }
        return address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    }

    /** As Boot's {@code ServerPortInfoApplicationContextInitializer} does, so {@code @LocalServerPort} works. */
    @SuppressWarnings("unchecked")
    private void publishPort(String name, int port) {
        MutablePropertySources sources = environment.getPropertySources();
        PropertySource<?> source = sources.get("server.ports");
        if (source == null) {
            source = new MapPropertySource("server.ports", new HashMap<>());
            sources.addFirst(source);
        }
        ((Map<String, Object>) source.getSource()).put(name, port);
    }

    @Override
    public void stop() {
        server.stop();
    }

    @Override
    public boolean isRunning() {
        return server.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
