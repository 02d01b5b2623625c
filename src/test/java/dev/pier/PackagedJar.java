package dev.pier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged application started as an operator starts it, {@code java -jar target/pier.jar},
 * for the ITs that send it signals or need a JVM of its own. Its output goes to a file:
 * {@link Process#destroy()} closes the process's pipes, and a shutdown's log lines come after it.
 */
public record PackagedJar(Process process, Path log, int port) {

    /** Set by Failsafe to the jar {@code package} just built; a Surefire run picked by -Dtest has none. */
    public static final String PROPERTY = "pier.jar";
    private static final Pattern SERVING = Pattern.compile("Pier serving .+ on https?://\\S+:(\\d+)");
    /** Small and quick to start: the ITs measure behaviour, not speed. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /**
     * Starts the jar on a free port and waits until it logs the port it serves on.
     *
     * @param jvmOptions options besides {@link #JVM_OPTIONS}
     * @param args application arguments besides {@code --server.port=0} and {@code --spring.main.banner-mode=off}
     */
    public static PackagedJar start(Path jar, Path log, List<String> jvmOptions, List<String> args) throws IOException {
        return start(jar, log, jvmOptions, args, null);
    }

    /** The same, run from {@code directory}, where the application reads its {@code application.yml} and relative paths. */
    public static PackagedJar start(Path jar, Path log, List<String> jvmOptions, List<String> args, Path directory) throws IOException {
        assertThat(jar).as("the packaged jar").isRegularFile();
        jar = jar.toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JVM_OPTIONS);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--server.port=0", "--spring.main.banner-mode=off"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process = builder.start();
        AtomicInteger port = new AtomicInteger();
        await("Pier to log its port").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertThat(process.isAlive()).as("Pier is running; its output:%n%s", output(log)).isTrue();
            Matcher serving = SERVING.matcher(output(log));
            if (serving.find()) {
                port.set(Integer.parseInt(serving.group(1)));
            }
            return port.get() > 0;
        });
        return new PackagedJar(process, log, port.get());
    }

    /** Everything the process has written so far. */
    public String output() throws IOException {
        return output(log);
    }

    private static String output(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
