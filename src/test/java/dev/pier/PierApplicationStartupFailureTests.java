package dev.pier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.pier.config.CannotBindException;
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

    @Test
    void whenManagementPortIsInUseThenBootNamesTheManagementPortSetting(CapturedOutput output) throws IOException {
        try (ServerSocket busy = new ServerSocket(0)) {
            int port = busy.getLocalPort();
            Throwable failure = catchThrowable(() -> run("--server.port=0", "--management.server.port=" + port));
            assertThat(causeOf(failure, PortInUseException.class)).isNotNull().extracting(PortInUseException::property)
                    .isEqualTo("management.server.port");
            assertThat(output)
                    .contains("APPLICATION FAILED TO START")
                    .contains("Pier could not listen on port " + port + ": it is already in use.")
                    .contains("or set management.server.port to another port")
                    .doesNotContain("\tat ");
        }
    }

    /** 192.0.2.1 is TEST-NET-1 (RFC 5737): never a local address, so binding it fails without a packet sent. */
    @Test
    void whenServerAddressIsNotThisMachinesThenBootSaysSoAndWhatToChangeWithoutAStackTrace(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> run("--server.port=0", "--server.address=192.0.2.1"));
        assertThat(failure).hasRootCauseInstanceOf(BindException.class);
        assertThat(causeOf(failure, CannotBindException.class)).isNotNull();
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("Pier could not listen on 192.0.2.1:0: 192.0.2.1 is not an address of this machine (Cannot assign requested address).")
                .contains("Set server.address to an address of one of this machine's network interfaces")
                .contains("or remove it to listen on all of them.")
                .doesNotContain("at dev.pier")
                .doesNotContain("\tat ");
    }

    @Test
    void whenASettingIsInvalidThenBootNamesItWithoutAStackTrace(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> run("--server.port=0", "--pier.access-log.format=xml"));
        assertThat(failure).isNotNull();
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("pier.access-log.format")
                .contains("xml")
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
