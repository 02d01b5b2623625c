package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.RawHttp;
import dev.pier.files.StaticFileSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.util.unit.DataSize;

/** The static file keys of {@code pier.*}: defaults, binding of maps and lists, validation, and what reaches the handler. */
class StaticFilePropertiesTests {

    @TempDir
    Path site;

    private ApplicationContextRunner runner;

    private final ApplicationContextRunner binding = new ApplicationContextRunner()
            .withUserConfiguration(PierAutoConfigurationTests.BindingOnly.class);

    @BeforeEach
    void createSite() throws IOException {
        Files.writeString(site.resolve("index.html"), "<h1>app</h1>");
        Files.writeString(site.resolve("404.html"), "<h1>our own 404</h1>");
        Files.createDirectories(site.resolve("assets"));
        Files.writeString(site.resolve("assets/app.js"), "start()");
        runner = PierContextRunner.over(site, 1);
    }

    @Test
    void whenNothingIsSetThenStaticFileDefaultsBind() {
        binding.run(context -> {
            assertThat(context).hasNotFailed();
            PierProperties pier = context.getBean(PierProperties.class);
            assertThat(pier.directoryListing()).isFalse();
            assertThat(pier.fallback()).isNull();
            assertThat(pier.errorPages()).isEmpty();
            assertThat(pier.cacheControl()).isEmpty();
            assertThat(pier.hiddenFiles().allow()).containsExactly("/.well-known/**");
            assertThat(pier.securityHeaders()).containsExactly(Map.entry("X-Content-Type-Options", "nosniff"));
            assertThat(pier.compression()).isEqualTo(new PierProperties.Compression(true, true, DataSize.ofKilobytes(1),
                    DataSize.ofMegabytes(1), DataSize.ofMegabytes(32)));
            assertThat(pier.ranges()).isEqualTo(new PierProperties.Ranges(true, 16));
            assertThat(pier.cors()).isEqualTo(new PierProperties.Cors(List.of(), List.of("GET", "HEAD"), List.of("*"), List.of(),
                    Duration.ofMinutes(30), false));
        });
    }

    @Test
    void whenDefaultsAreMappedThenTheHandlerGetsTheDefaultsOfDevPierFiles() {
        binding.run(context -> {
            StaticFileSettings settings = PierAutoConfiguration.staticFileSettings(context.getBean(PierProperties.class));
            StaticFileSettings defaults = StaticFileSettings.DEFAULTS;
            assertThat(settings.directoryListing()).isEqualTo(defaults.directoryListing());
            assertThat(settings.fallback()).isEqualTo(defaults.fallback());
            assertThat(settings.errorPages()).isEqualTo(defaults.errorPages());
            assertThat(settings.securityHeaders()).isEqualTo(defaults.securityHeaders());
            assertThat(settings.compression()).isEqualTo(defaults.compression());
            assertThat(settings.maxRanges()).isEqualTo(defaults.maxRanges());
        });
    }

    @Test
    void whenMapsAreSetWithBracketedKeysThenPatternsStatusesAndHeadersBind() {
        binding.withPropertyValues(
                        "pier.cache-control.[/assets/**]=public, max-age=31536000, immutable",
                        "pier.cache-control.[/**/*.html]=no-cache",
                        "pier.error-pages.404=/404.html",
                        "pier.error-pages.500=/oops.html",
                        "pier.security-headers.Content-Security-Policy=default-src 'self'",
                        "pier.security-headers.x-frame-options=DENY",
                        "pier.fallback=/index.html",
                        "pier.directory-listing=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    PierProperties pier = context.getBean(PierProperties.class);
                    assertThat(pier.cacheControl()).containsOnly(Map.entry("/assets/**", "public, max-age=31536000, immutable"),
                            Map.entry("/**/*.html", "no-cache"));
                    assertThat(pier.errorPages()).containsOnly(Map.entry(404, "/404.html"), Map.entry(500, "/oops.html"));
                    assertThat(pier.securityHeaders()).containsEntry("X-Content-Type-Options", "nosniff")
                            .containsEntry("Content-Security-Policy", "default-src 'self'").containsKey("x-frame-options");
                    assertThat(pier.fallback()).isEqualTo("/index.html");
                    assertThat(pier.directoryListing()).isTrue();
                });
    }

    @Test
    void whenNosniffIsSetEmptyThenItIsRemovedNotDuplicated() {
        binding.withPropertyValues("pier.security-headers.x-content-type-options=").run(context -> {
            PierProperties pier = context.getBean(PierProperties.class);
            assertThat(pier.securityHeaders()).hasSize(1).containsEntry("X-Content-Type-Options", "");
        });
    }

    @Test
    void whenRangesAreDisabledThenTheHandlerAllowsNone() {
        binding.withPropertyValues("pier.ranges.enabled=false").run(context -> {
            assertThat(PierAutoConfiguration.staticFileSettings(context.getBean(PierProperties.class)).maxRanges()).isZero();
        });
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            pier.fallback=index.html                   | pier.fallback          | must be a path in the document root
            pier.error-pages.200=/ok.html              | pier.errorPages        | must be greater than or equal to 400
            pier.error-pages.404=404.html              | pier.errorPages        | must be a path in the document root
            pier.cache-control.[assets/**]=no-cache    | pier.cacheControl      | must be a path pattern starting with /
            pier.cache-control.[/assets**]=no-cache    | pier.cacheControl      | ** only as a whole segment
            pier.hidden-files.allow=/.well-known**     | pier.hiddenFiles.allow | ** only as a whole segment
            pier.hidden-files.allow=.well-known/**     | pier.hiddenFiles.allow | must be a path pattern starting with /
            pier.ranges.max-ranges=0                   | pier.ranges.maxRanges  | must be greater than or equal to 1
            """)
    void whenStaticFileValueIsInvalidThenStartupFailsNamingIt(String setting, String reported, String rule) {
        runner.withPropertyValues(setting).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(BindValidationException.class);
            FailureAnalysis analysis = PierAutoConfigurationTests.bootAnalysis(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Property: " + reported).contains(rule);
        });
    }

    @Test
    void whenCredentialsAreAllowedForAnyOriginThenStartupFailsSayingWhy() {
        runner.withPropertyValues("pier.cors.allowed-origins=*", "pier.cors.allow-credentials=true").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = PierAutoConfigurationTests.bootAnalysis(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("pier.cors").contains("allow-credentials needs the exact origins in allowed-origins, not *");
        });
    }

    @Test
    void whenStaticFileKeysAreSetThenTheyReachTheServedResponses() {
        runner.withPropertyValues(
                        "pier.cache-control.[/assets/**]=public, max-age=31536000, immutable",
                        "pier.error-pages.404=/404.html",
                        "pier.fallback=/index.html",
                        "pier.security-headers.x-frame-options=DENY",
                        "pier.cors.allowed-origins=https://app.example.com",
                        "pier.ranges.max-ranges=1")
                .run(context -> {
                    int port = localPort(context);
                    try (RawHttp http = RawHttp.connect(port)) {
                        RawHttp.Response asset = http.exchange("GET /assets/app.js HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example.com\r\n\r\n");
                        assertThat(asset.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
                        assertThat(asset.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
                        assertThat(asset.header("X-Frame-Options")).isEqualTo("DENY");
                        assertThat(asset.header("X-Content-Type-Options")).isEqualTo("nosniff");
                        assertThat(asset.header("ETag")).isNotNull();

                        RawHttp.Response route = http.get("/users/42");
                        assertThat(route.status()).isEqualTo(200);
                        assertThat(route.body()).isEqualTo("<h1>app</h1>");

                        RawHttp.Response missing = http.get("/missing.js");
                        assertThat(missing.status()).isEqualTo(404);
                        assertThat(missing.body()).isEqualTo("<h1>our own 404</h1>");

                        RawHttp.Response twoRanges = http.exchange("GET /assets/app.js HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0,6-6\r\n\r\n");
                        assertThat(twoRanges.status()).isEqualTo(200);
                    }
                });
    }

    @Test
    void whenNothingIsSetThenWellKnownIsServedAndOtherHiddenNamesAreNot() throws IOException {
        Files.createDirectories(site.resolve(".well-known/acme-challenge"));
        Files.writeString(site.resolve(".well-known/acme-challenge/LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"), "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0.9jg46WB3rR");
        Files.writeString(site.resolve(".well-known/security.txt"), "Contact: mailto:security@example.org\n");
        Files.writeString(site.resolve(".env"), "PASSWORD=secret");
        Files.createDirectories(site.resolve(".git"));
        Files.writeString(site.resolve(".git/config"), "[core]");
        Files.writeString(site.resolve(".htpasswd"), "admin:x");
        Files.writeString(site.resolve(".well-known/.htpasswd"), "admin:x");

        runner.run(context -> {
            int port = localPort(context);
            try (RawHttp http = RawHttp.connect(port)) {
                RawHttp.Response challenge = http.get("/.well-known/acme-challenge/LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0");
                assertThat(challenge.status()).isEqualTo(200);
                assertThat(challenge.body()).isEqualTo("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0.9jg46WB3rR");
                RawHttp.Response securityTxt = http.get("/.well-known/security.txt");
                assertThat(securityTxt.status()).isEqualTo(200);
                assertThat(securityTxt.header("Content-Type")).isEqualTo("text/plain;charset=utf-8");
                for (String hidden : List.of("/.env", "/.git/config", "/.htpasswd", "/.well-known/.htpasswd", "/.well-known/../.env")) {
                    assertThat(http.get(hidden).status()).as(hidden).isEqualTo(404);
                }
            }
        });
        runner.withPropertyValues("pier.hidden-files.allow=").run(context -> {
            try (RawHttp http = RawHttp.connect(localPort(context))) {
                assertThat(http.get("/.well-known/security.txt").status()).isEqualTo(404);
            }
        });
    }

    private static int localPort(ApplicationContext context) {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }
}
