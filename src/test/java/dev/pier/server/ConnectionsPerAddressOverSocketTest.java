package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.pier.handler.AddressRange;
import dev.pier.handler.HttpHandler;
import dev.pier.handler.Listener;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http2.ErrorCode;
import dev.pier.test.H2Peer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pier.limits.connections-per-address} over real sockets from the loopback addresses: the
 * connection past the cap is reset before any response, a freed slot serves the next, and every
 * way a connection ends (client close, keep-alive timeout, graceful drain, HTTP/2 GOAWAY) gives its
 * count back, so the table ends empty. Four event loops, so connections close on loops other than
 * the one that accepted them.
 */
@Timeout(30)
class ConnectionsPerAddressOverSocketTest {

    private static final int CAP = 2;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path root;

    private RunningServer server;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void site() throws IOException {
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(ServerSettings.Connections connections, HttpHandler... handlers) throws IOException {
        server = RunningServer.start(RunningServer.settings().withEventLoops(4).withConnections(connections), root, handlers);
    }

    private static ServerSettings.Connections cap(int perAddress, String... exempt) {
        return new ServerSettings.Connections(10_000, 1000, perAddress, List.of(exempt).stream().map(AddressRange::parse).toList());
    }

    /** A connection from this address that has been answered once, so the server has counted it. */
    private RawClient served(InetAddress from, int port) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(RawClient.READ_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress(from, port), RawClient.READ_TIMEOUT_MILLIS);
        RawClient client = RawClient.over(socket);
        clients.add(client);
        assertThat(client.send(RawClient.get("/index.html")).read().status()).isEqualTo(200);
        return client;
    }

    private RawClient served() throws IOException {
        return served(InetAddress.getLoopbackAddress(), server.port());
    }

    private boolean refused() throws IOException {
        return RawClient.endsUnanswered(InetAddress.getLoopbackAddress(), server.port());
    }

    @Test
    void whenAnAddressHasTheCapOpenThenTheNextIsResetAndAFreedSlotServesAgain() throws IOException {
        start(cap(CAP));
        RawClient first = served();
        served();

        assertThat(refused()).isTrue();
        assertThat(server.stats().connectionsRefusedPerAddress()).isEqualTo(1);
        assertThat(server.stats().activeConnections()).isEqualTo(CAP);
        assertThat(server.stats().addressesCounted()).isEqualTo(1);

        first.close();
        await().atMost(WAIT).until(() -> server.stats().activeConnections() == CAP - 1);
        served();
        assertThat(refused()).isTrue();
        assertThat(server.stats().connectionsRefusedPerAddress()).isEqualTo(2);
    }

    @Test
    void whenEveryClientClosesThenNoAddressIsLeftInTheTable() throws Exception {
        start(cap(CAP));
        for (int round = 0; round < 3; round++) {
            served();
            served();
            assertThat(refused()).isTrue();
            for (AutoCloseable client : clients) {
                client.close();
            }
            clients.clear();
            await().atMost(WAIT).until(() -> server.stats().addressesCounted() == 0 && server.stats().activeConnections() == 0);
        }
        assertThat(server.stats().connectionsRefusedPerAddress()).isEqualTo(3);
    }

    @Test
    void whenTheServerClosesIdleConnectionsThenTheirCountsAreGivenBack() throws IOException {
        // Above the event loop's clock granularity (a loop's time may be up to its one-second lag probe old).
        Duration shortKeepAlive = Duration.ofSeconds(2);
        server = RunningServer.start(RunningServer.settings().withEventLoops(4).withConnections(cap(CAP))
                .withTimeouts(new ServerSettings.Timeouts(Duration.ofSeconds(10), shortKeepAlive, Duration.ofSeconds(10), Duration.ofSeconds(10))),
                root);
        RawClient first = served();
        RawClient second = served();

        assertThat(first.isClosedByServer()).isTrue();
        assertThat(second.isClosedByServer()).isTrue();
        await().atMost(WAIT).until(() -> server.stats().addressesCounted() == 0);
        served();
    }

    @Test
    void whenAGracefulShutdownDrainsTheConnectionsThenTheTableEmpties() throws Exception {
        start(cap(CAP));
        served();
        served();

        assertThat(server.shutDownGracefully().get()).isEqualTo(GracefulShutdownResult.IDLE);
        await().atMost(WAIT).until(() -> server.stats().addressesCounted() == 0);
        assertThat(server.stats().activeConnections()).isZero();
    }

    @Test
    void whenAnHttp2ConnectionEndsWithGoAwayThenItsSlotIsFree() throws IOException {
        start(cap(1));
        try (H2Peer peer = H2Peer.connect(server.port())) {
            assertThat(peer.get(1, "/index.html", "localhost").response(1, WAIT).status()).isEqualTo(200);
            assertThat(refused()).isTrue();
            peer.sendGoAway(1, ErrorCode.NO_ERROR);
        }
        await().atMost(WAIT).until(() -> server.stats().addressesCounted() == 0);
        served();
    }

    @Test
    void whenAnAddressIsExemptThenItIsNeitherCountedNorRefused() throws IOException {
        start(cap(1, "127.0.0.0/8"));
        served();
        served();
        served();

        assertThat(server.stats().addressesCounted()).isZero();
        assertThat(server.stats().connectionsRefusedPerAddress()).isZero();
    }

    @Test
    void whenIpv6LoopbackConnectsThenItIsCountedApartFromIpv4Loopback() throws IOException {
        InetAddress v6 = InetAddress.getByName("::1");
        start(cap(1));
        assumeThat(canConnect(v6, server.port())).as("IPv6 loopback on this machine").isTrue();
        await().atMost(WAIT).until(() -> server.stats().addressesCounted() == 0);
        served(InetAddress.getByName("127.0.0.1"), server.port());
        assertThat(RawClient.endsUnanswered(InetAddress.getByName("127.0.0.1"), server.port())).isTrue();

        served(v6, server.port());
        assertThat(RawClient.endsUnanswered(v6, server.port())).isTrue();
        assertThat(server.stats().addressesCounted()).isEqualTo(2);
    }

    @Test
    void whenTheManagementPortIsUsedThenItIsNotCapped() throws IOException {
        HttpHandler probe = new HttpHandler() {
            @Override
            public boolean accepts(HttpRequest request) {
                return true;
            }

            @Override
            public HttpResponse handle(HttpRequest request) {
                return HttpResponse.status(200).body("UP").build();
            }

            @Override
            public Listener listener() {
                return Listener.MANAGEMENT;
            }
        };
        server = RunningServer.start(RunningServer.settings().withEventLoops(4).withConnections(cap(1))
                .withManagement(new ServerSettings.Management(InetAddress.getLoopbackAddress(), 0)), root, probe);
        served();
        assertThat(refused()).isTrue();

        for (int i = 0; i < 3; i++) {
            served(InetAddress.getLoopbackAddress(), server.managementPort());
        }
        assertThat(server.stats().connectionsRefusedPerAddress()).isEqualTo(1);
    }

    private static boolean canConnect(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
