package dev.pier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.pier.config.PortInUseException;
import dev.pier.files.InvalidDocumentRootException;
import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The real application failing to start: Boot's failure report, not a stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class PierApplicationStartupFailureTests {

    @Test
    void whenPortIsInUseThenBootReportsItWithoutAStackTrace(CapturedOutput output) throws IOException {
        try (ServerSocket busy = new ServerSocket(0)) {
            int port = busy.getLocalPort();
            Throwable failure = catchThrowable(() -> run("--server.port=" + port));
            assertThat(failure).hasRootCauseInstanceOf(BindException.class);
            assertThat(causeOf(failure, PortInUseException.class)).isNotNull().extracting(PortInUseException::port).isEqualTo(port);
            assertThat(output)
                    .contains("APPLICATION FAILED TO START")
                    .contains("Pier could not listen on port " + port + ": it is already in use.")
                    .contains("Stop the process listening on port " + port + ", or set server.port to another port")
                    .doesNotContain("at dev.pier")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void whenDocumentRootIsMissingThenBootReportsWhatToChangeWithoutAStackTrace(CapturedOutput output, @TempDir Path temp) {
        Path missing = temp.resolve("missing-site");
        Throwable failure = catchThrowable(() -> run("--server.port=0", "--pier.document-root=" + missing));
        assertThat(failure).hasRootCauseInstanceOf(InvalidDocumentRootException.class);
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("Document root " + missing + " does not exist")
                .contains("Set pier.document-root (or the PIER_DOCUMENT_ROOT environment variable) to a readable folder.")
                .doesNotContain("at dev.pier")
                .doesNotContain("\tat ");
    }

    private static void run(String... args) {
        new SpringApplicationBuilder(PierApplication.class).run(args).close();
    }

    private static <T extends Throwable> T causeOf(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
