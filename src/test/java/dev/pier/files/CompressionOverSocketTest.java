package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Precompressed siblings, gzip on the fly and Accept-Encoding negotiation over a real socket. */
@Timeout(20)
class CompressionOverSocketTest {

    private static final Instant MODIFIED = Instant.parse("2024-05-06T07:08:09Z");
    private static final String JS = "console.log('pier, compressed');\n".repeat(200);
    private static final byte[] BROTLI = {(byte) 0x8b, 0x03, (byte) 0x80, 'b', 'r', 0x03};

    @TempDir
    Path root;

    private FileServer server;

    @BeforeEach
    void startServer() throws IOException {
        // app.js has both siblings; only.js only gzip; plain.js none; tiny.css is below the minimum size.
        write("app.js", JS);
        write("app.js.br", BROTLI);
        write("app.js.gz", gzip(JS));
        write("only.js", JS);
        write("only.js.gz", gzip(JS));
        write("plain.js", JS);
        write("tiny.css", "a{}\n");
        write("photo.png", new byte[4096]);
        write("photo.png.gz", gzip("not used"));
        // Files change under these tests and must be seen at the next request.
        server = FileServer.start(root, StaticFileSettings.DEFAULTS.withFileCache(StaticFileSettings.FileCache.DEFAULTS.withRevalidateAfter(Duration.ZERO)));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @ParameterizedTest(name = "[{index}] {1} Accept-Encoding: {0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            'gzip, deflate, br, zstd'   | /app.js   | br
            'br;q=1, gzip;q=0.5'        | /app.js   | br
            'br;q=1, gzip;q=0.5'        | /only.js  | gzip
            'br;q=1, gzip;q=0.5'        | /plain.js | gzip
            'gzip;q=1, br;q=0.5'        | /app.js   | gzip
            'gzip, br'                  | /app.js   | br
            '*'                         | /app.js   | br
            'br;q=0, *'                 | /app.js   | gzip
            'x-gzip'                    | /plain.js | gzip
            gzip                        | /app.js   | gzip
            br                          | /only.js  | NONE
            'gzip;q=0, *;q=0'           | /app.js   | NONE
            'gzip;q=0, *;q=0'           | /plain.js | NONE
            'identity'                  | /app.js   | NONE
            'identity;q=1, gzip;q=0.5'  | /app.js   | NONE
            ''                          | /app.js   | NONE
            'gzip, br'                  | /tiny.css | NONE
            """)
    void whenClientAcceptsCodingsThenBestAvailableWithTypeOfTheOriginalAndVary(String acceptEncoding, String path, String coding) throws IOException {
        RawResponse response = server.get(path, "Accept-Encoding: " + acceptEncoding);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Encoding")).isEqualTo(coding);
        assertThat(response.header("Content-Type")).isEqualTo(path.endsWith(".css") ? "text/css;charset=utf-8" : "text/javascript;charset=utf-8");
        assertThat(response.header("Vary")).isEqualTo("Accept-Encoding");
        if (coding == null) {
            assertThat(response.header("Accept-Ranges")).isEqualTo("bytes");
            assertThat(response.body()).isEqualTo(Files.readAllBytes(root.resolve(path.substring(1))));
        } else {
            assertThat(response.header("Accept-Ranges")).isNull();
            assertThat(response.header("ETag")).endsWith("-" + coding + "\"");
        }
        if ("br".equals(coding)) {
            assertThat(response.body()).isEqualTo(BROTLI);
        } else if ("gzip".equals(coding)) {
            assertThat(gunzip(response.body())).isEqualTo(JS);
        }
    }

    @Test
    void whenNoAcceptEncodingThenTheFileItself() throws IOException {
        RawResponse response = server.get("/app.js");

        assertThat(response.header("Content-Encoding")).isNull();
        assertThat(response.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(response.bodyText()).isEqualTo(JS);
    }

    @Test
    void whenEncodingsDifferThenEtagsDifferAndEachValidatesOnlyItself() throws IOException {
        String identity = server.get("/app.js").header("ETag");
        String br = server.get("/app.js", "Accept-Encoding: br").header("ETag");
        String gzip = server.get("/app.js", "Accept-Encoding: gzip").header("ETag");
        String onTheFly = server.get("/plain.js", "Accept-Encoding: gzip").header("ETag");

        assertThat(java.util.List.of(identity, br, gzip)).doesNotHaveDuplicates();
        assertThat(onTheFly).isNotEqualTo(server.get("/plain.js").header("ETag"));
        assertThat(server.get("/app.js", "Accept-Encoding: br", "If-None-Match: " + br).status()).isEqualTo(304);
        assertThat(server.get("/app.js", "If-None-Match: " + br).status()).isEqualTo(200);
        assertThat(server.get("/plain.js", "Accept-Encoding: gzip", "If-None-Match: " + onTheFly).status()).isEqualTo(304);
    }

    @Test
    void whenGzippedOnTheFlyThenHeadStatesTheCompressedLength() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse get = client.send(FileServer.request("GET", "/plain.js", "Accept-Encoding: gzip")).read();
            RawResponse head = client.send(FileServer.request("HEAD", "/plain.js", "Accept-Encoding: gzip")).readHead();
            RawResponse next = client.send(RawClient.get("/tiny.css")).read();

            assertThat(get.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(Integer.parseInt(get.header("Content-Length"))).isEqualTo(get.body().length).isLessThan(JS.length());
            assertThat(head.header("Content-Length")).isEqualTo(get.header("Content-Length"));
            assertThat(head.header("ETag")).isEqualTo(get.header("ETag"));
            assertThat(next.bodyText()).isEqualTo("a{}\n");
        }
    }

    @Test
    void whenFileIsReplacedWhileCachedThenRecompressedWithANewEtag() throws IOException {
        RawResponse before = server.get("/plain.js", "Accept-Encoding: gzip");
        String replacement = "console.log('replaced');\n".repeat(300);
        Files.writeString(root.resolve("plain.js"), replacement);
        Files.setLastModifiedTime(root.resolve("plain.js"), FileTime.from(MODIFIED.plusSeconds(30)));

        RawResponse after = server.get("/plain.js", "Accept-Encoding: gzip");

        assertThat(gunzip(before.body())).isEqualTo(JS);
        assertThat(gunzip(after.body())).isEqualTo(replacement);
        assertThat(after.header("ETag")).isNotEqualTo(before.header("ETag")).endsWith("-gzip\"");
        assertThat(server.get("/plain.js", "Accept-Encoding: gzip", "If-None-Match: " + before.header("ETag")).status()).isEqualTo(200);
        assertThat(server.handler().compressionCache().count()).isEqualTo(1);
    }

    @Test
    void whenFileIsReplacedWithTheSameSizeThenTheNewTimeStillRecompresses() throws IOException {
        RawResponse before = server.get("/plain.js", "Accept-Encoding: gzip");
        String sameSize = JS.replace('p', 'q');
        Files.writeString(root.resolve("plain.js"), sameSize);
        Files.setLastModifiedTime(root.resolve("plain.js"), FileTime.from(MODIFIED.plusSeconds(1)));

        RawResponse after = server.get("/plain.js", "Accept-Encoding: gzip");

        assertThat(gunzip(after.body())).isEqualTo(sameSize);
        assertThat(after.header("ETag")).isNotEqualTo(before.header("ETag"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/photo.png"})
    void whenTypeIsAlreadyCompressedThenNeitherSiblingNorGzipNorVary(String path) throws IOException {
        RawResponse response = server.get(path, "Accept-Encoding: gzip, br");

        assertThat(response.header("Content-Encoding")).isNull();
        assertThat(response.header("Vary")).isNull();
        assertThat(response.body()).hasSize(4096);
    }

    @Test
    void whenCompressionIsOffThenNoGzipButSiblingsStillServed() throws IOException {
        StaticFileSettings settings = StaticFileSettings.DEFAULTS.withCompression(StaticFileSettings.Compression.DEFAULTS.withEnabled(false));
        try (FileServer off = FileServer.start(root, settings)) {
            assertThat(off.get("/plain.js", "Accept-Encoding: gzip").header("Content-Encoding")).isNull();
            assertThat(off.get("/app.js", "Accept-Encoding: gzip").header("Content-Encoding")).isEqualTo("gzip");
        }
    }

    @Test
    void whenPrecompressedIsOffThenSiblingsAreIgnoredAndGzipComesOnTheFly() throws IOException {
        StaticFileSettings settings = StaticFileSettings.DEFAULTS.withCompression(StaticFileSettings.Compression.DEFAULTS.withPrecompressed(false));
        try (FileServer off = FileServer.start(root, settings)) {
            assertThat(off.get("/app.js", "Accept-Encoding: br").header("Content-Encoding")).isNull();
            RawResponse gzip = off.get("/app.js", "Accept-Encoding: br, gzip");
            assertThat(gzip.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(gunzip(gzip.body())).isEqualTo(JS);
        }
    }

    @Test
    void whenFileIsLargerThanTheMaximumThenSentAsItIsSoTheLoopNeverCompressesMuch() throws IOException {
        StaticFileSettings settings = StaticFileSettings.DEFAULTS.withCompression(StaticFileSettings.Compression.DEFAULTS.withMaxSize(1024));
        try (FileServer capped = FileServer.start(root, settings)) {
            RawResponse response = capped.get("/plain.js", "Accept-Encoding: gzip");

            assertThat(response.header("Content-Encoding")).isNull();
            assertThat(response.header("Vary")).as("precompressed siblings may still vary it").isEqualTo("Accept-Encoding");
            assertThat(response.bodyText()).isEqualTo(JS);
            assertThat(capped.handler().compressionCache().count()).isZero();
        }
    }

    @Test
    void whenSiblingIsASymlinkThenItIsNotUsed(@TempDir Path outside) throws IOException {
        Files.writeString(outside.resolve("outside.gz"), "not from the root");
        Files.createSymbolicLink(root.resolve("plain.js.gz"), outside.resolve("outside.gz"));

        RawResponse response = server.get("/plain.js", "Accept-Encoding: gzip");

        assertThat(response.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gunzip(response.body())).isEqualTo(JS);
    }

    private void write(String name, String text) throws IOException {
        write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private void write(String name, byte[] content) throws IOException {
        Path file = Files.write(root.resolve(name), content);
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
