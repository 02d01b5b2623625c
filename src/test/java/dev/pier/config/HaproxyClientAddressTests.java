package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.pier.Executables;
import dev.pier.observe.AccessLog;
import dev.pier.server.RawClient;
import dev.pier.test.LogCapture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pier.trusted-proxies} behind a real HAProxy in HTTP mode, which appends the address it
 * saw: as a second {@code X-Forwarded-For} field ({@code option forwardfor}), and as a second
 * {@code Forwarded} field ({@code http-request add-header Forwarded for=%[src]}; HAProxy 2.8's
 * {@code option forwarded} writes the same). The client connects from 127.0.0.2 and claims
 * {@code 203.0.113.7} itself; HAProxy connects to Pier from 127.0.0.1, the one trusted proxy. Pier
 * must take the right-most address, the one HAProxy wrote, and ignore the client's claim, as
 * nginx's {@code real_ip_recursive on} does. Skipped where HAProxy is not installed (Debian's
 * {@code haproxy} package; {@code .ci/run} installs it).
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class HaproxyClientAddressTests {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetAddress CLIENT = loopback("127.0.0.2");
    private static final InetAddress PROXY = loopback("127.0.0.1");

    @TempDir
    Path site;

    @TempDir
    Path haproxyFolder;

    @BeforeEach
    void site() throws IOException {
        Files.writeString(site.resolve("index.html"), "home");
    }

    @Test
    void whenHaproxyAppendsTheClientAddressThenPierTakesItAndIgnoresTheClientsOwnClaim() throws Exception {
        String haproxy = haproxy();
        assumeThat(haproxy).as("HAProxy (Debian package haproxy)").isNotNull();
        assumeThat(canBind(CLIENT)).as("127.0.0.2 on the loopback interface").isTrue();
        try (LogCapture lines = LogCapture.of(AccessLog.LOGGER_NAME)) {
            PierContextRunner.over(site, 1).withPropertyValues("pier.trusted-proxies=127.0.0.1/32").run(context -> {
                int pier = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
                int forwardFor = freePort();
                int forwarded = freePort();
                Path config = Files.writeString(haproxyFolder.resolve("haproxy.cfg"), """
                        global
                            maxconn 64
                        defaults
                            mode http
                            timeout connect 5s
                            timeout client 10s
                            timeout server 10s
                        frontend x_forwarded_for
                            bind 127.0.0.1:%d
                            option forwardfor
                            default_backend pier
                        frontend forwarded
                            bind 127.0.0.1:%d
                            http-request add-header Forwarded for=%%[src]
                            default_backend pier
                        backend pier
                            server pier 127.0.0.1:%d source 127.0.0.1
                        """.formatted(forwardFor, forwarded, pier));
                Process process = new ProcessBuilder(haproxy, "-db", "-f", config.toString())
                        .redirectErrorStream(true).redirectOutput(haproxyFolder.resolve("haproxy.log").toFile()).start();
                try {
                    await().atMost(WAIT).until(() -> !process.isAlive() || RawClient.isListening(forwardFor) && RawClient.isListening(forwarded));
                    assertThat(process.isAlive()).as("HAProxy running; its output: %s", haproxyFolder.resolve("haproxy.log")).isTrue();

                    assertThat(get(forwardFor, "/index.html?via=x-forwarded-for", "X-Forwarded-For: 203.0.113.7")).startsWith("HTTP/1.1 200");
                    assertThat(get(forwarded, "/index.html?via=forwarded", "Forwarded: for=203.0.113.7")).startsWith("HTTP/1.1 200");
                    assertThat(get(forwarded, "/index.html?via=forwarded-and-x-forwarded-for", "X-Forwarded-For: 203.0.113.7")).startsWith("HTTP/1.1 200");
                } finally {
                    process.destroy();
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                }
                await().atMost(WAIT).untilAsserted(() -> assertThat(lines.messages()).hasSizeGreaterThanOrEqualTo(3));
                for (String via : new String[] {"x-forwarded-for", "forwarded", "forwarded-and-x-forwarded-for"}) {
                    assertThat(lines.messages())
                            .filteredOn(line -> line.contains("GET /index.html?via=" + via + " HTTP/1.1"))
                            .singleElement().asString().startsWith("127.0.0.2 - - [");
                }
            });
        }
    }

    /** Sends one request from {@link #CLIENT} and returns the response's first line. */
    private static String get(int port, String target, String field) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(RawClient.READ_TIMEOUT_MILLIS);
            socket.bind(new InetSocketAddress(CLIENT, 0));
            socket.connect(new InetSocketAddress(PROXY, port), RawClient.READ_TIMEOUT_MILLIS);
            RawClient client = RawClient.over(socket);
            client.send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + field + "\r\nConnection: close\r\n\r\n");
            return "HTTP/1.1 " + client.read().status();
        }
    }

    private static String haproxy() {
        String onPath = Executables.find("haproxy");
        return onPath != null ? onPath : Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : null;
    }

    private static boolean canBind(InetAddress address) {
        try (ServerSocket socket = new ServerSocket(0, 1, address)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, PROXY)) {
            return socket.getLocalPort();
        }
    }

    private static InetAddress loopback(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
