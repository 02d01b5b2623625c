package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.pier.RawHttp;
import dev.pier.files.DocRoot;
import dev.pier.files.InvalidDocumentRootException;
import dev.pier.observe.RequestIdFilter;
import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.ParserLimits;
import dev.pier.server.HttpServer;
import dev.pier.server.ServerSettings;
import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.awaitility.Awaitility;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.util.unit.DataSize;

class PierAutoConfigurationTests {

    @TempDir
    Path site;

    /** The whole auto-configuration: its lifecycle starts a real server, so always on port 0 and a temporary site. */
    private ApplicationContextRunner runner;

    /** Binding alone, no server: the only place the untouched defaults (port 8080, document root {@code site}) are safe to see. */
    private final ApplicationContextRunner binding = new ApplicationContextRunner().withUserConfiguration(BindingOnly.class);

    @BeforeEach
    void createSite() throws IOException {
        Files.writeString(site.resolve("index.html"), "<h1>temporary site</h1>");
        Files.writeString(site.resolve("shared.txt"), "from the document root");
        runner = PierContextRunner.over(site, 1);
    }

    @Test
    void whenNothingIsSetThenDefaultsBind() {
        binding.run(context -> {
            assertThat(context).hasNotFailed();
            PierProperties pier = context.getBean(PierProperties.class);
            assertThat(pier.documentRoot()).isEqualTo(Path.of("site"));
            assertThat(pier.serveHiddenFiles()).isFalse();
            assertThat(pier.eventLoops()).isZero();
            assertThat(pier.backlog()).isEqualTo(1024);
            assertThat(pier.workerThreads()).isEqualTo(16);
            assertThat(pier.workerQueue()).isEqualTo(1000);
            assertThat(pier.limits().requestLine()).isEqualTo(DataSize.ofKilobytes(8));
            assertThat(pier.limits().headerBytes()).isEqualTo(DataSize.ofKilobytes(16));
            assertThat(pier.limits().headers()).isEqualTo(100);
            assertThat(pier.limits().body()).isEqualTo(DataSize.ofMegabytes(1));
            assertThat(pier.limits().connections()).isEqualTo(10_000);
            assertThat(pier.limits().keepAliveRequests()).isEqualTo(1000);
            assertThat(pier.timeouts().header()).isEqualTo(Duration.ofSeconds(20));
            assertThat(pier.timeouts().keepAlive()).isEqualTo(Duration.ofSeconds(60));
            assertThat(pier.timeouts().body()).isEqualTo(Duration.ofSeconds(60));
            assertThat(pier.timeouts().send()).isEqualTo(Duration.ofSeconds(60));
            ServerBindingProperties server = context.getBean(ServerBindingProperties.class);
            assertThat(server.port()).isEqualTo(8080);
            assertThat(server.address()).isNull();
        });
    }

    @Test
    void whenApplicationYmlIsLoadedThenItStatesExactlyTheDefaults() throws IOException {
        // Maven runs tests in the project root, where Boot finds ./application.yml too.
        List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("application.yml", new FileSystemResource("application.yml"));
        assertThat(yaml).isNotEmpty();
        binding.run(defaults -> binding
                .withInitializer(context -> yaml.forEach(context.getEnvironment().getPropertySources()::addLast))
                .run(configured -> {
                    assertThat(configured.getEnvironment().getProperty("pier.limits.body")).isEqualTo("1MB");
                    assertThat(configured.getBean(PierProperties.class)).isEqualTo(defaults.getBean(PierProperties.class));
                    assertThat(configured.getBean(ServerBindingProperties.class)).isEqualTo(defaults.getBean(ServerBindingProperties.class));
                }));
    }

    @Test
    void whenDefaultsAreMappedThenServerGetsBytesAndOneLoopPerProcessor() {
        binding.run(context -> {
            ServerSettings settings = PierAutoConfiguration.settings(context.getBean(PierProperties.class),
                    context.getBean(ServerBindingProperties.class), "Pier");
            assertThat(settings.port()).isEqualTo(8080);
            assertThat(settings.address()).isNull();
            assertThat(settings.eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(settings.limits()).isEqualTo(new ParserLimits(8192, 16384, 100, 1024 * 1024)).isEqualTo(ParserLimits.DEFAULTS);
            assertThat(settings.timeouts()).isEqualTo(ServerSettings.Timeouts.DEFAULTS);
            assertThat(settings.connections()).isEqualTo(new ServerSettings.Connections(10_000, 1000)).isEqualTo(ServerSettings.Connections.DEFAULTS);
            assertThat(settings.serverName()).isEqualTo("Pier");
        });
    }

    @Test
    void whenCustomValuesAreSetThenTheyBindAndReachTheServer() {
        Set<Thread> before = loopThreads();
        runner.withPropertyValues("pier.limits.body=2MB", "pier.timeouts.header=5s", "pier.event-loops=1", "pier.backlog=50",
                        "pier.limits.connections=300", "pier.limits.keep-alive-requests=7")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    PierProperties pier = context.getBean(PierProperties.class);
                    assertThat(pier.limits().body()).isEqualTo(DataSize.ofMegabytes(2));
                    assertThat(pier.timeouts().header()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(pier.eventLoops()).isEqualTo(1);
                    ServerSettings settings = PierAutoConfiguration.settings(pier, context.getBean(ServerBindingProperties.class), "Pier");
                    assertThat(settings.limits().body()).isEqualTo(2L * 1024 * 1024);
                    assertThat(settings.timeouts().header()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(settings.eventLoops()).isEqualTo(1);
                    assertThat(settings.backlog()).isEqualTo(50);
                    assertThat(settings.connections()).isEqualTo(new ServerSettings.Connections(300, 7));
                    Set<Thread> started = loopThreads();
                    started.removeAll(before);
                    assertThat(started).extracting(Thread::getName).containsExactly("pier-loop-0");
                });
    }

    @Test
    void whenBodyLimitIsSetThenALargerBodyIsAnswered413() {
        runner.withPropertyValues("pier.limits.body=16B").run(context -> {
            try (RawHttp http = RawHttp.connect(localPort(context))) {
                RawHttp.Response response = http.post("/upload", "text/plain", "seventeen bytes!!");
                assertThat(response.status()).isEqualTo(413);
            }
        });
    }

    /** The reported property is in the form Boot 4 prints for a record component: Java-cased ({@code pier.workerThreads}). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            server.port=-1          | server.port         | -1    | must be greater than or equal to 0
            server.port=70000       | server.port         | 70000 | must be less than or equal to 65535
            pier.worker-threads=0   | pier.workerThreads  | 0     | must be greater than or equal to 1
            pier.limits.headers=0   | pier.limits.headers | 0     | must be greater than or equal to 1
            pier.limits.connections=0 | pier.limits.connections | 0 | must be greater than or equal to 1
            pier.limits.keep-alive-requests=0 | pier.limits.keepAliveRequests | 0 | must be greater than or equal to 1
            """)
    void whenValueIsOutOfRangeThenStartupFailsNamingPropertyValueAndRule(String setting, String reported, String value, String rule) {
        runner.withPropertyValues(setting).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(BindValidationException.class);
            FailureAnalysis analysis = bootAnalysis(context.getStartupFailure());
            assertThat(analysis).as("Boot's own failure analysis").isNotNull();
            assertThat(analysis.getDescription())
                    .contains("Property: " + reported)
                    .contains("Value: \"" + value + "\"")
                    .contains("Reason: " + rule);
            assertThat(analysis.getAction()).contains("Update your application's configuration");
        });
    }

    @Test
    void whenTheRequestIdIsNotAskedForThenNoFilterWrapsTheHandlersAsInNginx() {
        runner.run(context -> assertThat(context).doesNotHaveBean(RequestIdFilter.class));
        runner.withPropertyValues("pier.request-id.enabled=true").run(context -> assertThat(context).hasSingleBean(RequestIdFilter.class));
    }

    @Test
    void whenTopLevelValueIsOutOfRangeThenOriginQuotesTheKeyAsWritten() {
        runner.withPropertyValues("pier.worker-threads=0").run(context -> {
            assertThat(bootAnalysis(context.getStartupFailure()).getDescription())
                    .contains("Origin: \"pier.worker-threads\" from property source");
        });
    }

    @Test
    void whenDocumentRootIsMissingThenStartupFailsAndAnalysisSaysWhatToChange() {
        Path missing = site.resolve("no-such-folder");
        runner.withPropertyValues("pier.document-root=" + missing).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(InvalidDocumentRootException.class);
            FailureAnalysis analysis = new InvalidDocumentRootFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains(missing.toString()).contains("does not exist").contains("pier.document-root");
            assertThat(analysis.getAction()).contains("pier.document-root").contains("PIER_DOCUMENT_ROOT");
            assertThat(bootAnalysis(context.getStartupFailure())).as("the analyzer registered in spring.factories")
                    .usingRecursiveComparison().isEqualTo(analysis);
        });
    }

    @Test
    void whenDocumentRootIsAFileThenAnalysisSaysItIsNotAFolder() {
        Path file = site.resolve("shared.txt");
        runner.withPropertyValues("pier.document-root=" + file).run(context -> {
            FailureAnalysis analysis = new InvalidDocumentRootFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains(file.toString()).contains("is a file, not a folder");
        });
    }

    @Test
    void whenPortIsInUseThenStartupFailsAndAnalysisNamesThePort() throws IOException {
        try (ServerSocket busy = new ServerSocket(0)) {
            int port = busy.getLocalPort();
            runner.withPropertyValues("server.port=" + port).run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(BindException.class);
                PortInUseException inUse = findCause(context.getStartupFailure(), PortInUseException.class);
                assertThat(inUse).isNotNull();
                assertThat(inUse.port()).isEqualTo(port);
                FailureAnalysis analysis = new PortInUseFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis).isNotNull();
                assertThat(analysis.getDescription()).isEqualTo("Pier could not listen on port " + port + ": it is already in use.");
                assertThat(analysis.getAction()).contains("Stop the process listening on port " + port).contains("server.port");
                assertThat(bootAnalysis(context.getStartupFailure())).as("the analyzer registered in spring.factories")
                        .usingRecursiveComparison().isEqualTo(analysis);
            });
        }
    }

    @Test
    void whenStartedThenLocalServerPortIsPublishedAndAcceptsConnections() {
        runner.run(context -> {
            Integer published = context.getEnvironment().getProperty("local.server.port", Integer.class);
            assertThat(published).isNotNull().isPositive().isEqualTo(context.getBean(HttpServer.class).port());
            assertThat(RawHttp.get(published, "/").status()).isEqualTo(200);
        });
    }

    @Test
    void whenAddressIsSetThenServerListensOnThatInterface() {
        runner.withPropertyValues("server.address=127.0.0.1").run(context -> {
            assertThat(context.getBean(ServerBindingProperties.class).address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(RawHttp.get(localPort(context), "/shared.txt").body()).isEqualTo("from the document root");
        });
    }

    @Test
    void whenUserHandlersAcceptTheSamePathThenLowestOrderAnswersAndStaticFilesComeLast() {
        runner.withBean("registeredFirst", OrderOneHandler.class)
                .withBean("registeredSecond", OrderZeroHandler.class)
                .run(context -> {
                    int port = localPort(context);
                    try (RawHttp http = RawHttp.connect(port)) {
                        assertThat(http.get("/who").body()).isEqualTo("order 0");
                        RawHttp.Response file = http.get("/shared.txt");
                        assertThat(file.status()).isEqualTo(200);
                        assertThat(file.body()).isEqualTo("from the document root");
                    }
                });
    }

    @Test
    void whenOrderIsOnBeanMethodsThenItIsHonouredToo() {
        runner.withUserConfiguration(OrderedBeanMethods.class).run(context -> {
            assertThat(RawHttp.get(localPort(context), "/who").body()).isEqualTo("bean method order 0");
        });
    }

    @Test
    void whenUserDefinesDocRootThenItIsServedInsteadOfTheConfiguredOne(@TempDir Path other) throws IOException {
        Files.writeString(other.resolve("shared.txt"), "from the user's own root");
        runner.withBean(DocRoot.class, () -> new DocRoot(other, false)).run(context -> {
            assertThat(RawHttp.get(localPort(context), "/shared.txt").body()).isEqualTo("from the user's own root");
        });
    }

    @Test
    void whenAHandlerRunsOutOfMemoryThenLivenessIsBrokenAndTheServerStillServes() {
        runner.withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class))
                .withBean(OutOfMemoryHandler.class)
                .run(context -> {
                    ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
                    // SpringApplication.run would publish this once started; a context runner does not.
                    AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
                    assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
                    // The connection closes without an answer: an out-of-memory error is reported, not turned into a 500.
                    assertThatExceptionOfType(EOFException.class).isThrownBy(() -> RawHttp.get(localPort(context), "/oom"));

                    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> availability.getLivenessState() == LivenessState.BROKEN);
                    assertThat(RawHttp.get(localPort(context), "/shared.txt").status()).isEqualTo(200);
                });
    }

    private static int localPort(ApplicationContext context) {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    static Set<Thread> loopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("pier-loop-"))
                .collect(Collectors.toSet());
    }

    /** What Boot would print: the first analysis of the analyzers registered in {@code spring.factories}, in order. */
    static FailureAnalysis bootAnalysis(Throwable failure) {
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.handleMessage((message, e) -> {
                    // Analyzers that need the failed context's bean factory are not needed here.
                }));
        return analyzers.stream().map(analyzer -> analyzer.analyze(failure)).filter(Objects::nonNull).findFirst().orElse(null);
    }

    static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({PierProperties.class, ServerBindingProperties.class})
    static class BindingOnly {
    }

    /** Fails on {@code /oom} as a full heap would; blocking, so the worker meets it. */
    static class OutOfMemoryHandler implements HttpHandler {

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/oom");
        }

        @Override
        public HttpResponse handle(HttpRequest request) {
            throw new OutOfMemoryError("Java heap space (thrown by the test)");
        }
    }

    /** Answers {@code GET /who} with a fixed text; a blocking handler, so it runs on a worker. */
    abstract static class WhoHandler implements HttpHandler {

        private final String name;

        WhoHandler(String name) {
            this.name = name;
        }

        @Override
        public boolean accepts(HttpRequest request) {
            return request.path().equals("/who");
        }

        @Override
        public HttpResponse handle(HttpRequest request) {
            return HttpResponse.status(200).body(name).build();
        }
    }

    @Order(1)
    static class OrderOneHandler extends WhoHandler {

        OrderOneHandler() {
            super("order 1");
        }
    }

    @Order(0)
    static class OrderZeroHandler extends WhoHandler {

        OrderZeroHandler() {
            super("order 0");
        }

        @Override
        public boolean isBlocking() {
            return false;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OrderedBeanMethods {

        @Bean
        @Order(1)
        HttpHandler orderOne() {
            return new WhoHandler("bean method order 1") {
            };
        }

        @Bean
        @Order(0)
        HttpHandler orderZero() {
            return new WhoHandler("bean method order 0") {
            };
        }
    }
}
