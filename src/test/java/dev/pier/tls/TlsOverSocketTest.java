package dev.pier.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsOverSocketTest {

    @TempDir
    Path site;

    @Test
    void whenHttpClientGetsAFileThenItArrivesOverTls() throws Exception {
        Files.writeString(site.resolve("index.html"), "<h1>secure</h1>");
        try (TlsServer server = TlsServer.start(site)) {
            HttpResponse<byte[]> response = server.get("/index.html");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("<h1>secure</h1>");
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(response.sslSession()).hasValueSatisfying(session -> assertThat(session.getProtocol()).isEqualTo("TLSv1.3"));
        }
    }
}
