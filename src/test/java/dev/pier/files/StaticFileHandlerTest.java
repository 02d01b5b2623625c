package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http.HttpDate;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.HttpVersion;
import dev.pier.http.RequestTarget;
import dev.pier.http.ResponseBody;
import dev.pier.http.UrlEncoding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StaticFileHandlerTest {

    private static final String CSS = "body { color: #123; }\n";
    private static final Instant MODIFIED = Instant.parse("2024-05-06T07:08:09.750Z");

    @TempDir
    Path temp;

    private Path site;
    private StaticFileHandler handler;

    @BeforeEach
    void createSite() throws IOException {
        site = Files.createDirectory(temp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>home</h1>");
        Files.createDirectories(site.resolve("css"));
        Files.writeString(site.resolve("css/site.css"), CSS);
        Files.setLastModifiedTime(site.resolve("css/site.css"), FileTime.from(MODIFIED));
        Files.createDirectories(site.resolve("docs"));
        Files.writeString(site.resolve("docs/index.html"), "<h1>docs</h1>");
        Files.createDirectories(site.resolve("empty"));
        Files.writeString(site.resolve(".env"), "PASSWORD=secret");
        handler = new StaticFileHandler(new DocRoot(site, false));
    }

    @Test
    void whenAskedThenAcceptsEveryRequestAndNeverBlocks() {
        assertThat(handler.accepts(request(HttpMethod.DELETE, "/anything?x=1"))).isTrue();
        assertThat(handler.isBlocking()).isFalse();
    }

    @Test
    void whenGetFileAboveTheMemoryLimitThenWholeFileRegionWithTypeAndLastModified() throws IOException {
        StaticFileHandler fromDisk = new StaticFileHandler(new DocRoot(site, false),
                StaticFileSettings.DEFAULTS.withFileCache(new StaticFileSettings.FileCache(10_000, Duration.ofSeconds(1), 0, 0, 0)));
        HttpResponse response = fromDisk.handle(request(HttpMethod.GET, "/css/site.css"));
        try {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers().first("Content-Type")).isEqualTo("text/css;charset=utf-8");
            assertThat(response.headers().first("Last-Modified"))
                    .isEqualTo("Mon, 06 May 2024 07:08:09 GMT")
                    .isEqualTo(HttpDate.format(Instant.parse("2024-05-06T07:08:09Z")));
            assertThat(response.headers().contains("Content-Length")).isFalse();
            assertThat(response.body()).isInstanceOf(ResponseBody.FileRegion.class);
            ResponseBody.FileRegion region = (ResponseBody.FileRegion) response.body();
            assertThat(region.position()).isZero();
            assertThat(region.count()).isEqualTo(CSS.length());
            assertThat(response.contentLength()).isEqualTo(CSS.length());
            ByteBuffer content = ByteBuffer.allocate(64);
            region.channel().read(content, 0);
            assertThat(new String(content.array(), 0, content.position(), StandardCharsets.UTF_8)).isEqualTo(CSS);
        } finally {
            response.body().release();
        }
        assertThat(((ResponseBody.FileRegion) response.body()).channel().isOpen()).isFalse();
    }

    @Test
    void whenGetSmallFileThenItsBytesComeFromMemoryAndFollowAChange() throws IOException {
        StaticFileHandler handler = new StaticFileHandler(new DocRoot(site, false),
                StaticFileSettings.DEFAULTS.withFileCache(StaticFileSettings.FileCache.DEFAULTS.withRevalidateAfter(Duration.ZERO)));
        HttpResponse first = handler.handle(request(HttpMethod.GET, "/css/site.css"));
        assertThat(first.body()).isInstanceOf(ResponseBody.Bytes.class);
        assertThat(StandardCharsets.UTF_8.decode(((ResponseBody.Bytes) first.body()).content()).toString()).isEqualTo(CSS);

        Files.writeString(site.resolve("css/site.css"), "p{color:red}");
        HttpResponse second = handler.handle(request(HttpMethod.GET, "/css/site.css"));

        assertThat(StandardCharsets.UTF_8.decode(((ResponseBody.Bytes) second.body()).content()).toString()).isEqualTo("p{color:red}");
        assertThat(second.headers().first("ETag")).isNotEqualTo(first.headers().first("ETag"));
    }

    @Test
    void whenHeadFileThenSameHeadersWithExplicitLengthAndNoBody() {
        HttpResponse response = handler.handle(request(HttpMethod.HEAD, "/css/site.css"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().first("Content-Type")).isEqualTo("text/css;charset=utf-8");
        assertThat(response.headers().first("Last-Modified")).isEqualTo("Mon, 06 May 2024 07:08:09 GMT");
        assertThat(response.headers().first("Content-Length")).isEqualTo(Integer.toString(CSS.length()));
        assertThat(response.body()).isEqualTo(ResponseBody.EMPTY);
        assertThat(response.contentLength()).isEqualTo(CSS.length());
    }

    @Test
    void whenFolderWithoutSlashThenPermanentRedirectKeepingTheQuery() {
        HttpResponse response = handler.handle(request(HttpMethod.GET, "/docs?lang=en&page=2"));

        assertThat(response.status()).isEqualTo(301);
        assertThat(response.headers().first("Location")).isEqualTo("/docs/?lang=en&page=2");
        assertThat(text(response)).contains("/docs/");
    }

    @Test
    void whenFolderWithoutSlashAndQueryThenRedirectToTheSlash() {
        HttpResponse response = handler.handle(request(HttpMethod.HEAD, "/docs"));

        assertThat(response.status()).isEqualTo(301);
        assertThat(response.headers().first("Location")).isEqualTo("/docs/");
    }

    @Test
    void whenFolderPathStartsWithDoubleSlashThenRedirectStaysOnThisSite() {
        HttpResponse response = handler.handle(request(HttpMethod.GET, "//docs"));

        assertThat(response.status()).isEqualTo(301);
        assertThat(response.headers().first("Location")).isEqualTo("/docs/");
    }

    @Test
    void whenFolderPathIsEncodedThenRedirectKeepsItsRawForm() {
        HttpResponse response = handler.handle(request(HttpMethod.GET, "/%64ocs"));

        assertThat(response.headers().first("Location")).isEqualTo("/%64ocs/");
    }

    @Test
    void whenFolderWithSlashThenItsIndexIsServed() throws IOException {
        HttpResponse response = handler.handle(request(HttpMethod.GET, "/docs/"));
        try {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers().first("Content-Type")).isEqualTo("text/html;charset=utf-8");
            assertThat(response.body().length()).isEqualTo(Files.size(site.resolve("docs/index.html")));
        } finally {
            response.body().release();
        }
    }

    @Test
    void whenRootThenItsIndexIsServed() {
        HttpResponse response = handler.handle(request(HttpMethod.HEAD, "/"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().first("Content-Length")).isEqualTo("13");
    }

    @Test
    void whenFolderHasNoIndexThenNotFound() {
        HttpResponse response = handler.handle(request(HttpMethod.GET, "/empty/"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(text(response)).contains("no index.html");
    }

    @Test
    void whenIndexIsAFolderThenNotFound() throws IOException {
        Files.createDirectories(site.resolve("empty/index.html"));

        assertThat(handler.handle(request(HttpMethod.GET, "/empty/")).status()).isEqualTo(404);
    }

    @Test
    void whenIndexIsASymlinkOutOfTheRootThenNotFound() throws IOException {
        Files.writeString(temp.resolve("secret.html"), "secret");
        Files.createSymbolicLink(site.resolve("empty/index.html"), temp.resolve("secret.html"));

        assertThat(handler.handle(request(HttpMethod.GET, "/empty/")).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(value = HttpMethod.class, names = {"GET", "HEAD", "OPTIONS"}, mode = EnumSource.Mode.EXCLUDE)
    void whenMethodIsNotGetHeadOrOptionsThenMethodNotAllowed(HttpMethod method) {
        HttpResponse response = handler.handle(request(method, "/css/site.css"));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers().first("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        assertThat(response.headers().first("Content-Type")).isEqualTo("text/html;charset=utf-8");
        assertThat(response.body().length()).isPositive();
    }

    @Test
    void whenFileIsHiddenThenNotFound() {
        assertThat(handler.handle(request(HttpMethod.GET, "/.env")).status()).isEqualTo(404);
        assertThat(handler.handle(request(HttpMethod.GET, "/%2eenv")).status()).isEqualTo(404);
    }

    @Test
    void whenFileIsMissingThenNotFoundWithoutServerPaths() {
        HttpResponse response = handler.handle(request(HttpMethod.GET, "/missing.html"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(text(response)).doesNotContain(temp.toString());
    }

    @Test
    void whenClientPrefersJsonThenErrorIsJson() {
        HttpHeaders headers = HttpHeaders.builder().add("Host", "x").add("Accept", "application/json").build();
        HttpRequest request = new HttpRequest(HttpMethod.GET, target("/missing.json"), HttpVersion.HTTP_1_1, headers, null);

        HttpResponse response = handler.handle(request);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.headers().first("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void whenPathClimbsAboveTheRootThenBadRequest() {
        assertThat(handler.handle(request(HttpMethod.GET, "/css/../../secret.html")).status()).isEqualTo(400);
        assertThat(handler.handle(request(HttpMethod.GET, "/..%2fsecret.html")).status()).isEqualTo(400);
    }

    @Test
    void whenFileVanishesAfterResolvingThenNotFound() throws IOException {
        Files.writeString(site.resolve("doomed.txt"), "bye");
        HttpRequest request = request(HttpMethod.GET, "/doomed.txt");
        Resolution.Found found = (Resolution.Found) new DocRoot(site, false).resolve(request.path());
        Files.delete(found.file());

        assertThat(handler.serve(request.path(), found, request).status()).isEqualTo(404);
    }

    @Test
    void whenFileIsReplacedAfterResolvingThenTheNewVersionUnderItsOwnValidators() throws IOException {
        Files.writeString(site.resolve("changing.txt"), "old!");
        HttpRequest request = request(HttpMethod.GET, "/changing.txt");
        Resolution.Found found = (Resolution.Found) new DocRoot(site, false).resolve(request.path());
        String oldTag = EntityTag.of(4, found.attributes().lastModifiedTime().to(TimeUnit.NANOSECONDS), ContentCoding.IDENTITY);
        Files.writeString(site.resolve("changing.txt"), "new!");
        Files.setLastModifiedTime(site.resolve("changing.txt"), FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));

        HttpResponse response = handler.serve(request.path(), found, request);

        assertThat(StandardCharsets.UTF_8.decode(((ResponseBody.Bytes) response.body()).content()).toString()).isEqualTo("new!");
        assertThat(response.headers().first("ETag")).isNotEqualTo(oldTag);
        assertThat(response.headers().first("Last-Modified")).isEqualTo("Tue, 01 Jan 2030 00:00:00 GMT");
    }

    @Test
    void whenFileIsReplacedAfterResolvingThenSeveralRangesAreCutFromTheNewVersionUnderItsOwnValidators() throws IOException {
        Files.writeString(site.resolve("changing.txt"), "o".repeat(400));
        HttpRequest request = new HttpRequest(HttpMethod.GET, target("/changing.txt"), HttpVersion.HTTP_1_1,
                HttpHeaders.builder().add("Host", "x").add("Range", "bytes=0-9,300-309").build(), null);
        Resolution.Found found = (Resolution.Found) new DocRoot(site, false).resolve(request.path());
        String oldTag = EntityTag.of(400, found.attributes().lastModifiedTime().to(TimeUnit.NANOSECONDS), ContentCoding.IDENTITY);
        Files.writeString(site.resolve("changing.txt"), "n".repeat(400));
        Files.setLastModifiedTime(site.resolve("changing.txt"), FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));

        HttpResponse response = handler.serve(request.path(), found, request);
        response.body().release();

        assertThat(response.status()).isEqualTo(206);
        assertThat(response.headers().first("Content-Type")).startsWith("multipart/byteranges");
        assertThat(response.headers().first("ETag")).isNotEqualTo(oldTag);
        assertThat(response.headers().first("Last-Modified")).isEqualTo("Tue, 01 Jan 2030 00:00:00 GMT");
    }

    private static HttpRequest request(HttpMethod method, String rawTarget) {
        return new HttpRequest(method, target(rawTarget), HttpVersion.HTTP_1_1, HttpHeaders.builder().add("Host", "x").build(), null);
    }

    private static RequestTarget target(String raw) {
        int question = raw.indexOf('?');
        String path = question < 0 ? raw : raw.substring(0, question);
        String query = question < 0 ? null : raw.substring(question + 1);
        return new RequestTarget(raw, path, query, UrlEncoding.decodePath(path));
    }

    private static String text(HttpResponse response) {
        ByteBuffer content = ((ResponseBody.Bytes) response.body()).content().duplicate();
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
