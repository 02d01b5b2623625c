package dev.pier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.server.ExchangeObserver;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The landing page, a directory listing and an error page as a real browser renders them:
 * headless Chromium against the application on a free port, serving a copy of {@code site/} with
 * a folder to list. {@code --dump-dom} gives the document after the browser parsed it and loaded
 * what it links; {@code --screenshot} a 1280×900 picture, kept in {@code target/screenshots}.
 * Skipped, saying why, where Chromium is not installed ({@code .ci/run} installs Debian's).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BrowserRenderingTests {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path work;

    private static String chromium;
    private static ConfigurableApplicationContext context;
    private static int port;
    /** The paths the browser asked for, told by an {@link ExchangeObserver}. */
    private static final Queue<String> requested = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void startPier() throws IOException {
        chromium = Executables.chromium();
        assumeTrue(chromium != null, "Chromium is not installed, so the browser rendering tests are skipped;"
                + " install it with apt-get install -y chromium (.ci/run does) to run them");
        Path site = work.resolve("site");
        copy(Path.of("site"), site);
        Path downloads = Files.createDirectories(site.resolve("downloads"));
        Files.createDirectories(downloads.resolve("archive"));
        Files.writeString(downloads.resolve("release-notes.txt"), "Pier 0.1.0\n");
        Files.writeString(downloads.resolve("a <b> & c.html"), "<p>odd name</p>\n");
        Files.write(downloads.resolve("pier-0.1.0.jar"), new byte[48 * 1024]);
        context = new SpringApplicationBuilder(PierApplication.class, RecordRequests.class).run("--server.port=0", "--pier.document-root=" + site,
                "--pier.directory-listing=true", "--pier.event-loops=1", "--pier.worker-threads=2", "--pier.access-log.enabled=false");
        port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopPier() {
        if (context != null) {
            context.close();
        }
    }

    @BeforeEach
    void forgetRequests() {
        requested.clear();
    }

    @Test
    void whenTheLandingPageIsOpenedThenItRendersWithItsStylesheetLogoAndIcon() throws Exception {
        String dom = dumpDom("/");
        assertThat(dom).contains("<title>Pier: a Spring Boot app with its own HTTP/1.1 server</title>")
                .contains("It works: Pier is serving this page");
        assertThat(requested).as("what the browser fetched to render the page").contains("/", "/style.css", "/images/pier-logo.svg");

        BufferedImage picture = screenshot("/", "landing.png");
        assertThat(picture.getWidth()).isEqualTo(1280);
        assertThat(picture.getHeight()).isEqualTo(900);
        assertThat(distinctColours(picture)).as("a styled page, not a blank or unstyled one").isGreaterThan(50);
    }

    @Test
    void whenAFolderWithoutIndexIsOpenedThenItsListingShowsFoldersFirstWithNamesEscaped() throws Exception {
        String dom = dumpDom("/downloads/");
        assertThat(dom).contains("<title>Index of /downloads/</title>").contains("<h1>Index of /downloads/</h1>");
        assertThat(dom).contains("<a href=\"../\">../</a>")
                .contains("<a href=\"./archive/\">archive/</a>")
                .contains("<a href=\"./pier-0.1.0.jar\">pier-0.1.0.jar</a>")
                .contains("<a href=\"./release-notes.txt\">release-notes.txt</a>")
                .contains("<a href=\"./a%20%3Cb%3E%20%26%20c.html\">a &lt;b&gt; &amp; c.html</a>")
                .contains("48 KB")
                .doesNotContain("<b> &");
        assertThat(dom.indexOf("archive/")).as("folders first").isLessThan(dom.indexOf("pier-0.1.0.jar"));

        BufferedImage picture = screenshot("/downloads/", "directory-listing.png");
        assertThat(picture.getWidth()).isEqualTo(1280);
        assertThat(distinctColours(picture)).isGreaterThan(10);
    }

    @Test
    void whenAMissingPageIsOpenedThenTheErrorPageSaysSo() throws Exception {
        String dom = dumpDom("/no/such/page.html");
        assertThat(dom).contains("<title>404 Not Found</title>")
                .contains("<h1>404 Not Found</h1>")
                .contains("Nothing is published at this path.");

        BufferedImage picture = screenshot("/no/such/page.html", "error-404.png");
        assertThat(distinctColours(picture)).isGreaterThan(10);
    }

    @Test
    void whenAListedNameNeedsEscapingThenItsLinkStillOpensTheFile() throws Exception {
        String dom = dumpDom("/downloads/a%20%3Cb%3E%20%26%20c.html");
        assertThat(dom).contains("<p>odd name</p>");
        assertThat(requested).contains("/downloads/a <b> & c.html");
    }

    private static String dumpDom(String path) throws IOException, InterruptedException {
        Path out = work.resolve("dom-" + System.nanoTime() + ".html");
        run(out.toFile(), "--dump-dom", url(path));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static BufferedImage screenshot(String path, String name) throws IOException, InterruptedException {
        Path file = SCREENSHOTS.resolve(name).toAbsolutePath();
        Files.deleteIfExists(file);
        run(null, "--screenshot=" + file, "--window-size=1280,900", "--hide-scrollbars", url(path));
        assertThat(file).exists();
        return ImageIO.read(file.toFile());
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Runs Chromium headless with a profile of its own, its standard output into {@code stdout} if given, for at most a minute. */
    private static void run(File stdout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(work, "profile")));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(work.resolve("chromium.log").toFile());
        builder.redirectOutput(stdout == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stdout));
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException("Chromium did not finish within a minute: " + String.join(" ", command));
        }
        assertThat(process.exitValue()).as("Chromium's exit status; its log: %s", work.resolve("chromium.log")).isZero();
    }

    private static int distinctColours(BufferedImage picture) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < picture.getHeight(); y += 3) {
            for (int x = 0; x < picture.getWidth(); x += 3) {
                colours.add(picture.getRGB(x, y));
            }
        }
        return colours.size();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RecordRequests {

        @Bean
        ExchangeObserver requestRecorder() {
            return exchange -> {
                if (exchange.request() != null) {
                    requested.add(exchange.request().path());
                }
            };
        }
    }
}
