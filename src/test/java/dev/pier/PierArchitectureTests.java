package dev.pier;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.channels.FileChannel;

/**
 * The package layering of STYLE.md: {@code config -> server -> http},
 * {@code files|actuator -> handler -> http}, {@code config -> observe -> server} and
 * {@code multipart -> http}, the HTTP/2 codec on its own, Spring only at the edges, and no borrowed server.
 */
@AnalyzeClasses(packages = "dev.pier", importOptions = ImportOption.DoNotIncludeTests.class)
class PierArchitectureTests {

    private static final String[] OTHER_SERVERS = {"io.netty..", "reactor.netty..", "org.apache.catalina..", "org.apache.tomcat..",
            "org.eclipse.jetty..", "io.undertow..", "com.sun.net.httpserver.."};

    @ArchTest
    static final ArchRule httpIsPureJava = classes().that().resideInAPackage("dev.pier.http..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.pier.http..", "java..")
            .because("the HTTP vocabulary and parser are bytes in, results out: no other Pier package, no Spring, no JSON");

    @ArchTest
    static final ArchRule httpHoldsNoSocketOrSelector = noClasses().that().resideInAPackage("dev.pier.http..")
            .should().dependOnClassesThat(resideInAnyPackage("java.nio.channels..", "java.net..").and(not(equivalentTo(FileChannel.class))))
            .because("parsing is separate from I/O; only ResponseBody.FileRegion carries an open file, for zero-copy sends");

    @ArchTest
    static final ArchRule http2IsBytesInEventsOut = classes().that().resideInAPackage("dev.pier.http2..")
            .should().onlyDependOnClassesThat(resideInAnyPackage("dev.pier.http2..", "dev.pier.http", "java..")
                    .and(not(resideInAnyPackage("java.nio.channels..", "java.net.."))))
            .because("the HTTP/2 codec is bytes in, events out: frames and header blocks over the protocol-neutral vocabulary, no channel, no socket");

    @ArchTest
    static final ArchRule hpackIsPureJava = classes().that().resideInAPackage("dev.pier.http2.hpack..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.pier.http2.hpack..", "java..")
            .because("HPACK knows header fields as strings, nothing of HTTP's semantics");

    @ArchTest
    static final ArchRule http1IsPureJavaOverHttp = classes().that().resideInAPackage("dev.pier.http1..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.pier.http1..", "dev.pier.http..", "java..")
            .because("the HTTP/1.1 codec is bytes in, requests out, over the protocol-neutral vocabulary; the HTTP/2 codec sits beside it");

    @ArchTest
    static final ArchRule httpKnowsNoWireFormat = noClasses().that().resideInAPackage("dev.pier.http..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.pier.http1..", "dev.pier.http2..")
            .because("requests, responses and headers are what both protocols carry, so they depend on neither");

    @ArchTest
    static final ArchRule multipartIsPureJavaOverHttp = classes().that().resideInAPackage("dev.pier.multipart..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.pier.multipart..", "dev.pier.http..", "java..")
            .because("the form parser is bytes in, events out, fed by whoever reads the body: no server, no handler SPI, no Spring");

    @ArchTest
    static final ArchRule actuatorOnlyUsesTheHandlerSpi = noClasses().that().resideInAPackage("dev.pier.actuator..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.pier.server..", "dev.pier.config..", "dev.pier.files..")
            .because("Actuator's endpoints are handlers like any other");

    @ArchTest
    static final ArchRule handlerSeesOnlyHttp = classes().that().resideInAPackage("dev.pier.handler..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.pier.handler..", "dev.pier.http..", "java..", "tools.jackson..")
            .because("the handler SPI is what user code implements: HTTP types, and Jackson for JSON error bodies");

    @ArchTest
    static final ArchRule serverKnowsNoSpringNorItsUsers = noClasses().that().resideInAPackage("dev.pier.server..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "dev.pier.config..", "dev.pier.files..",
                    "dev.pier.actuator..", "dev.pier.examples..", "dev.pier.observe..", "io.micrometer..")
            .because("the server is driven by ServerSettings and a list of handlers, so it runs and is tested without Spring;"
                    + " it counts in ServerStats and tells an ExchangeObserver, and knows no metrics library");

    @ArchTest
    static final ArchRule observeReadsTheServerThroughItsHooks = classes().that().resideInAPackage("dev.pier.observe..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.pier.observe..", "dev.pier.server..", "dev.pier.http2", "dev.pier.handler..",
                    "dev.pier.http..", "java..", "io.micrometer..", "org.slf4j..", "lombok..")
            .because("access logs and metrics are built from ExchangeObserver, Exchange and ServerStats, written through SLF4J and"
                    + " Micrometer; Spring wires them in dev.pier.config");

    @ArchTest
    static final ArchRule filesKnowNoSpringNorServer = noClasses().that().resideInAPackage("dev.pier.files..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "dev.pier.server..", "dev.pier.config..",
                    "dev.pier.actuator..", "dev.pier.examples..")
            .because("static files are one more handler, reachable only through the handler SPI");

    @ArchTest
    static final ArchRule filesUseOnlyTheSpiTheJdkAndJackson = classes().that().resideInAPackage("dev.pier.files..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.pier.files..", "dev.pier.handler..", "dev.pier.http..", "java..",
                    "tools.jackson..", "org.slf4j..", "lombok..")
            .because("static files are HTTP over the handler SPI; Jackson writes directory listings as JSON, as it writes error bodies");

    /** Besides configuration, only the Actuator bridge imports Spring: it adapts Actuator's endpoint model. */
    @ArchTest
    static final ArchRule onlyTheEdgesImportSpring = noClasses().that()
            .resideOutsideOfPackages("dev.pier.config..", "dev.pier.actuator..", "dev.pier.examples..", "dev.pier")
            .should().dependOnClassesThat(resideInAPackage("org.springframework..").and(not(resideInAPackage("org.springframework.security.crypto.."))))
            .because("Spring wires Pier together; the parser, the server, the handler SPI and static files do not need it");

    @ArchTest
    static final ArchRule noBorrowedServer = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(OTHER_SERVERS)
            .because("Pier is its own HTTP server");

    @ArchTest
    static final ArchRule routesUseOnlyTheSpiAndJackson = classes().that().resideInAPackage("dev.pier.route..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.pier.route..", "dev.pier.handler..", "dev.pier.http..", "java..",
                    "tools.jackson..", "org.slf4j..", "lombok..")
            .because("routes are a handler on the streaming exchange, with the application's JsonMapper: no server, no Spring");

    @ArchTest
    static final ArchRule rulesAreFiltersOverTheSpi = classes().that().resideInAPackage("dev.pier.rules..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.pier.rules..", "dev.pier.handler..", "dev.pier.http..", "java..",
                    "org.springframework.security.crypto..", "org.slf4j..", "lombok..")
            .because("rules are exchange filters over the handler SPI; password hashes come from spring-security-crypto, not our own code");

    @ArchTest
    static final ArchRule noCycles = slices().matching("dev.pier.(*)..").should().beFreeOfCycles();
}
