package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.pier.http.UrlEncoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DocRootTest {

    private static final List<String> WELL_KNOWN = List.of("/.well-known/**");

    @TempDir
    Path temp;

    private Path site;
    private DocRoot docRoot;

    @BeforeEach
    void createSite() throws IOException {
        site = Files.createDirectory(temp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>home</h1>");
        Files.createDirectory(site.resolve("css"));
        Files.writeString(site.resolve("css/site.css"), "body{}");
        Files.createDirectory(site.resolve(".git"));
        Files.writeString(site.resolve(".git/config"), "[core]");
        Files.writeString(site.resolve(".env"), "PASSWORD=secret");
        Files.writeString(temp.resolve("secret.txt"), "outside");
        Files.createDirectory(temp.resolve("site2"));
        Files.writeString(temp.resolve("site2/other.txt"), "sibling");
        docRoot = new DocRoot(site, false);
    }

    @Test
    void whenPathNamesAFileThenFoundWithItsAttributes() throws IOException {
        Resolution resolution = docRoot.resolve("/css/site.css");

        assertThat(resolution).isInstanceOf(Resolution.Found.class);
        Resolution.Found found = (Resolution.Found) resolution;
        assertThat(found.file()).isEqualTo(site.toRealPath().resolve("css/site.css"));
        assertThat(found.attributes().size()).isEqualTo(6);
        assertThat(found.path()).isEqualTo("/css/site.css");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/css/../css/site.css", "//css///site.css", "/./css/./site.css", "/styles/site.css"})
    void whenPathTakesADetourThenFoundCarriesItNormalised(String path) throws IOException {
        Files.createSymbolicLink(site.resolve("styles"), site.resolve("css"));

        Resolution.Found found = (Resolution.Found) docRoot.resolve(path);

        assertThat(found.path()).isEqualTo(path.startsWith("/styles") ? "/styles/site.css" : "/css/site.css");
    }

    @ParameterizedTest
    @CsvSource({"index.html, true", "site.css, true", "my file.txt, true", ".env, false", "., false", ".., false", "'', false",
            "a\\b, false", "c:d, false"})
    void whenANameIsCheckedThenPublishableAsResolveWouldJudgeIt(String name, boolean publishable) {
        assertThat(docRoot.isPublishable("/", name)).isEqualTo(publishable);
        assertThat(new DocRoot(site, true).isPublishable("/", ".env")).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"/, .well-known, true", "/, .git, false", "/.well-known, acme-challenge, true", "/.well-known, .git, false",
            "/.well-known/, security.txt, true", "/css, .well-known, false"})
    void whenANameIsCheckedUnderHiddenFileExceptionsThenPublishableAsResolveWouldJudgeIt(String folder, String name, boolean publishable) {
        assertThat(new DocRoot(site, false, WELL_KNOWN).isPublishable(folder, name)).isEqualTo(publishable);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "//", "/.", "/./", "/css/..", "/css/../"})
    void whenPathNamesTheRootThenDirectory(String path) throws IOException {
        assertThat(docRoot.resolve(path)).isEqualTo(new Resolution.Directory(site.toRealPath(), "/"));
    }

    @Test
    void whenPathNamesAFolderThenDirectory() throws IOException {
        assertThat(docRoot.resolve("/css")).isEqualTo(new Resolution.Directory(site.toRealPath().resolve("css"), "/css"));
        assertThat(docRoot.resolve("/css/")).isEqualTo(new Resolution.Directory(site.toRealPath().resolve("css"), "/css"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/css/../index.html", "/./index.html", "//index.html", "/css//..//index.html", "/css/./../css/site.css"})
    void whenDotSegmentsStayInsideTheRootThenTheyAreResolved(String path) {
        assertThat(docRoot.resolve(path)).isInstanceOf(Resolution.Found.class);
    }

    @Test
    void whenFileIsMissingThenNotFound() {
        assertThat(docRoot.resolve("/missing.html")).isInstanceOf(Resolution.NotFound.class);
        assertThat(docRoot.resolve("/index.html/child")).isInstanceOf(Resolution.NotFound.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/../", "/../..", "/../secret.txt", "/a/../../etc/passwd", "/css/../../secret.txt",
            "/./../secret.txt", "/..//..//secret.txt", "/css/../../site/index.html"})
    void whenDotDotClimbsAboveTheRootThenBadRequest(String path) {
        assertThat(docRoot.resolve(path)).isInstanceOf(Resolution.BadRequest.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..%2f", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/css%2f..%2f..%2fsecret.txt",
            "/.%2e/secret.txt"})
    void whenEncodedDotDotIsDecodedThenItStillCannotClimb(String raw) {
        String decoded = UrlEncoding.decodePath(raw);

        assertThat(docRoot.resolve(decoded)).isInstanceOf(Resolution.BadRequest.class);
    }

    @Test
    void whenDoubleEncodedDotDotThenItIsALiteralNameAndNotFound() {
        String decodedOnce = UrlEncoding.decodePath("/%252e%252e/secret.txt");

        assertThat(decodedOnce).isEqualTo("/%2e%2e/secret.txt");
        assertThat(docRoot.resolve(decodedOnce)).isInstanceOf(Resolution.NotFound.class);
    }

    @Test
    void whenPathLooksAbsoluteThenItStaysInsideTheRoot() {
        assertThat(docRoot.resolve("//etc/passwd")).isInstanceOf(Resolution.NotFound.class);
        assertThat(docRoot.resolve("/" + temp.resolve("secret.txt"))).isInstanceOf(Resolution.NotFound.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/\\..\\secret.txt", "/..\\secret.txt", "/css\\..\\..\\secret.txt", "/css\\site.css", "/\\\\server\\share"})
    void whenSegmentHoldsABackslashThenNotFound(String path) {
        assertThat(docRoot.resolve(path)).isInstanceOf(Resolution.NotFound.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/index.html\0", "/index.html\0.png", "/\0/index.html", "/css/\0"})
    void whenPathHoldsNulThenNotFound(String path) {
        assertThat(docRoot.resolve(path)).isInstanceOf(Resolution.NotFound.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/C:/Windows/win.ini", "/index.html::$DATA", "/css/site.css:stream"})
    void whenSegmentHoldsAColonThenNotFound(String path) {
        assertThat(docRoot.resolve(path)).isInstanceOf(Resolution.NotFound.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "index.html", "../secret.txt", "\\secret.txt"})
    void whenPathDoesNotStartWithSlashThenBadRequest(String path) {
        assertThat(docRoot.resolve(path)).isInstanceOf(Resolution.BadRequest.class);
    }

    @Test
    void whenSymlinkPointsToAFileOutsideTheRootThenNotFound() throws IOException {
        Files.createSymbolicLink(site.resolve("leak.txt"), temp.resolve("secret.txt"));
        Files.createSymbolicLink(site.resolve("relative-leak.txt"), Path.of("../secret.txt"));

        assertThat(docRoot.resolve("/leak.txt")).isInstanceOf(Resolution.NotFound.class);
        assertThat(docRoot.resolve("/relative-leak.txt")).isInstanceOf(Resolution.NotFound.class);
    }

    @Test
    void whenSymlinkPointsToAFolderOutsideTheRootThenNothingInItIsFound() throws IOException {
        Files.createSymbolicLink(site.resolve("outside"), temp);
        // "site2" shares the root's name as a prefix: confinement must compare whole segments.
        Files.createSymbolicLink(site.resolve("sibling"), temp.resolve("site2"));

        assertThat(docRoot.resolve("/outside")).isInstanceOf(Resolution.NotFound.class);
        assertThat(docRoot.resolve("/outside/secret.txt")).isInstanceOf(Resolution.NotFound.class);
        assertThat(docRoot.resolve("/sibling/other.txt")).isInstanceOf(Resolution.NotFound.class);
    }

    @Test
    void whenSymlinkPointsInsideTheRootThenFoundByItsRealPath() throws IOException {
        Files.createSymbolicLink(site.resolve("home.html"), Path.of("index.html"));
        Files.createSymbolicLink(site.resolve("styles"), site.resolve("css"));

        assertThat(docRoot.resolve("/home.html")).isInstanceOf(Resolution.Found.class)
                .extracting(resolution -> ((Resolution.Found) resolution).file())
                .isEqualTo(site.toRealPath().resolve("index.html"));
        assertThat(docRoot.resolve("/styles/site.css")).isInstanceOf(Resolution.Found.class);
    }

    @Test
    void whenSymlinkDanglesThenNotFound() throws IOException {
        Files.createSymbolicLink(site.resolve("gone.html"), site.resolve("removed.html"));

        assertThat(docRoot.resolve("/gone.html")).isInstanceOf(Resolution.NotFound.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.env", "/.git", "/.git/", "/.git/config", "/css/.hidden", "/...", "/.git/../index.html"})
    void whenPathHasAHiddenSegmentThenNotFound(String path) {
        assertThat(docRoot.resolve(path)).isInstanceOf(Resolution.NotFound.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.well-known/acme-challenge/token-1", "/.well-known/security.txt", "/.well-known//./security.txt"})
    void whenPathIsUnderAHiddenFileExceptionThenFound(String path) throws IOException {
        wellKnown();

        assertThat(new DocRoot(site, false, WELL_KNOWN).resolve(path)).isInstanceOf(Resolution.Found.class);
        assertThat(docRoot.resolve(path)).isInstanceOf(Resolution.NotFound.class);
    }

    @Test
    void whenExceptionNamesAHiddenFolderThenTheFolderItselfIsADirectory() throws IOException {
        wellKnown();

        assertThat(new DocRoot(site, false, WELL_KNOWN).resolve("/.well-known/")).isInstanceOf(Resolution.Directory.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.env", "/.git/config", "/.well-known/.git/config", "/.well-known/.htpasswd", "/.well-known/../.env",
            "/.well-known/../index.html", "/.git/../.well-known/security.txt", "/css/.well-known/security.txt"})
    void whenHiddenNameIsNotSpelledOutByAnExceptionThenNotFound(String path) throws IOException {
        wellKnown();
        Files.writeString(site.resolve(".well-known/.htpasswd"), "admin:x");
        Files.createDirectories(site.resolve(".well-known/.git"));
        Files.writeString(site.resolve(".well-known/.git/config"), "[core]");
        Files.createDirectories(site.resolve("css/.well-known"));
        Files.writeString(site.resolve("css/.well-known/security.txt"), "Contact: x");

        assertThat(new DocRoot(site, false, WELL_KNOWN).resolve(path)).isInstanceOf(Resolution.NotFound.class);
    }

    @Test
    void whenExceptionAllowsWildcardsThenTheyStillNeverMatchAHiddenName() throws IOException {
        DocRoot everything = new DocRoot(site, false, List.of("/**", "/*/**"));

        assertThat(everything.resolve("/css/site.css")).isInstanceOf(Resolution.Found.class);
        assertThat(everything.resolve("/.env")).isInstanceOf(Resolution.NotFound.class);
        assertThat(everything.resolve("/.git/config")).isInstanceOf(Resolution.NotFound.class);
    }

    @Test
    void whenSymlinkUnderAnExceptionLeadsOutOfTheRootThenNotFound() throws IOException {
        Files.createDirectories(site.resolve(".well-known"));
        Files.createSymbolicLink(site.resolve(".well-known/security.txt"), temp.resolve("secret.txt"));
        Files.createSymbolicLink(site.resolve(".well-known/outside"), temp.resolve("site2"));

        DocRoot withWellKnown = new DocRoot(site, false, WELL_KNOWN);
        assertThat(withWellKnown.resolve("/.well-known/security.txt")).isInstanceOf(Resolution.NotFound.class);
        assertThat(withWellKnown.resolve("/.well-known/outside/other.txt")).isInstanceOf(Resolution.NotFound.class);
    }

    private void wellKnown() throws IOException {
        Files.createDirectories(site.resolve(".well-known/acme-challenge"));
        Files.writeString(site.resolve(".well-known/acme-challenge/token-1"), "token-1.thumbprint");
        Files.writeString(site.resolve(".well-known/security.txt"), "Contact: mailto:security@example.org");
    }

    @Test
    void whenHiddenFilesAreServedThenTheyAreFound() {
        DocRoot open = new DocRoot(site, true);

        assertThat(open.resolve("/.env")).isInstanceOf(Resolution.Found.class);
        assertThat(open.resolve("/.git/config")).isInstanceOf(Resolution.Found.class);
        assertThat(open.resolve("/.git")).isInstanceOf(Resolution.Directory.class);
        assertThat(open.resolve("/../.env")).isInstanceOf(Resolution.BadRequest.class);
    }

    @Test
    void whenFileIsNotRegularThenNotFound() throws Exception {
        Path fifo = site.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeThat(mkfifo.waitFor()).as("mkfifo available").isZero();

        assertThat(docRoot.resolve("/pipe")).isInstanceOf(Resolution.NotFound.class);
    }

    @Test
    void whenFileIsUnreadableThenNotFound() throws IOException {
        Path locked = site.resolve("locked.html");
        Files.writeString(locked, "no");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeThat(Files.isReadable(locked)).as("not running as root").isFalse();

        assertThat(docRoot.resolve("/locked.html")).isInstanceOf(Resolution.NotFound.class);
    }

    @Test
    void whenRootIsASymlinkThenItsRealPathIsTheRoot() throws IOException {
        Path link = Files.createSymbolicLink(temp.resolve("current"), site);

        DocRoot linked = new DocRoot(link, false);

        assertThat(linked.root()).isEqualTo(site.toRealPath());
        assertThat(linked.resolve("/index.html")).isInstanceOf(Resolution.Found.class);
    }

    @Test
    void whenRootIsMissingThenInvalidDocumentRootSaysSo() {
        Path missing = temp.resolve("nowhere");

        assertThatExceptionOfType(InvalidDocumentRootException.class)
                .isThrownBy(() -> new DocRoot(missing, false))
                .satisfies(e -> assertThat(e.root()).isEqualTo(missing))
                .withMessage("Document root " + missing + " does not exist; set pier.document-root to an existing folder");
    }

    @Test
    void whenRootIsADanglingSymlinkThenInvalidDocumentRootSaysItDoesNotExist() throws IOException {
        Path dangling = Files.createSymbolicLink(temp.resolve("dangling"), temp.resolve("nowhere"));

        assertThatExceptionOfType(InvalidDocumentRootException.class)
                .isThrownBy(() -> new DocRoot(dangling, false))
                .withMessageContaining("does not exist");
    }

    @Test
    void whenRootIsAFileThenInvalidDocumentRootSaysSo() {
        Path file = temp.resolve("secret.txt");

        assertThatExceptionOfType(InvalidDocumentRootException.class)
                .isThrownBy(() -> new DocRoot(file, false))
                .withMessage("Document root " + file + " is a file, not a folder; set pier.document-root to the folder holding the site");
    }

    @Test
    void whenRootIsUnreadableThenInvalidDocumentRootSaysSo() throws IOException {
        Path locked = Files.createDirectory(temp.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeThat(Files.isReadable(locked)).as("not running as root").isFalse();

        assertThatExceptionOfType(InvalidDocumentRootException.class)
                .isThrownBy(() -> new DocRoot(locked, false))
                .withMessageContaining("is not readable")
                .withMessageContaining("pier.document-root");
    }
}
