package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DirectoryListingTest {

    private static final Instant MODIFIED = Instant.parse("2024-05-06T07:08:09Z");

    @TempDir
    Path temp;

    private Path site;

    @BeforeEach
    void createSite() throws IOException {
        site = Files.createDirectory(temp.resolve("site"));
        Files.createDirectory(site.resolve("zeta"));
        Files.createDirectory(site.resolve("Alpha"));
        write("b.txt", 3);
        write("A.txt", 2048);
        write("c.bin", 5 * 1024 * 1024);
        write(".env", 1);
        Files.createDirectory(site.resolve(".git"));
    }

    @Test
    void whenFolderIsReadThenFoldersFirstThenFilesByNameIgnoringCaseWithoutHiddenOnes() throws IOException {
        DirectoryListing.Listing listing = new DirectoryListing(new DocRoot(site, false)).read(site, "/");

        assertThat(listing.entries()).extracting(DirectoryListing.Entry::name).containsExactly("Alpha", "zeta", "A.txt", "b.txt", "c.bin");
        assertThat(listing.entries()).filteredOn(DirectoryListing.Entry::directory).hasSize(2);
        assertThat(listing.entries().get(2).size()).isEqualTo(2048);
        assertThat(listing.entries().get(2).modified()).isEqualTo(MODIFIED);
        assertThat(listing.truncated()).isFalse();
    }

    @Test
    void whenHiddenFilesAreServedThenTheyAreListed() throws IOException {
        DirectoryListing.Listing listing = new DirectoryListing(new DocRoot(site, true)).read(site, "/");

        assertThat(listing.entries()).extracting(DirectoryListing.Entry::name).contains(".env", ".git");
    }

    @Test
    void whenHiddenFolderIsAnExceptionThenOnlyItIsListed() throws IOException {
        Files.createDirectory(site.resolve(".well-known"));
        DocRoot withWellKnown = new DocRoot(site, false, List.of("/.well-known/**"));

        DirectoryListing.Listing listing = new DirectoryListing(withWellKnown).read(site, "/");

        assertThat(listing.entries()).extracting(DirectoryListing.Entry::name).contains(".well-known").doesNotContain(".env", ".git");
    }

    @Test
    void whenSymlinksLeadOutOfTheRootOrNowhereThenLeftOutAndInsideOnesShownAsTheirTargets() throws IOException {
        Files.writeString(temp.resolve("secret.txt"), "outside");
        Files.createSymbolicLink(site.resolve("leak.txt"), temp.resolve("secret.txt"));
        Files.createSymbolicLink(site.resolve("outside"), temp);
        Files.createSymbolicLink(site.resolve("dangling"), site.resolve("gone"));
        Files.createSymbolicLink(site.resolve("alias.txt"), site.resolve("A.txt"));

        DirectoryListing.Listing listing = new DirectoryListing(new DocRoot(site, false)).read(site, "/");

        assertThat(listing.entries()).extracting(DirectoryListing.Entry::name).doesNotContain("leak.txt", "outside", "dangling").contains("alias.txt");
        assertThat(listing.entries()).filteredOn(entry -> entry.name().equals("alias.txt")).singleElement()
                .extracting(DirectoryListing.Entry::size).isEqualTo(2048L);
    }

    @Test
    void whenNamesHoldMarkupAndUrlCharactersThenEscapedWhereShownAndEncodedWhereLinked() {
        DirectoryListing.Listing listing = new DirectoryListing.Listing(List.of(
                new DirectoryListing.Entry("<script>alert(1)</script>", false, 1, MODIFIED),
                new DirectoryListing.Entry("50% off #1?.txt", false, 1, MODIFIED),
                new DirectoryListing.Entry("caf\u00e9 \"quoted\" & 'single'", true, 0, MODIFIED)), false);

        String page = DirectoryListing.html("/docs/<b>/", listing, 100);

        assertThat(page)
                .contains("<title>Index of /docs/&lt;b&gt;/</title>")
                .contains("href=\"./%3Cscript%3Ealert%281%29%3C%2Fscript%3E\">&lt;script&gt;alert(1)&lt;/script&gt;</a>")
                .contains("href=\"./50%25%20off%20%231%3F.txt\">50% off #1?.txt</a>")
                .contains("href=\"./caf%C3%A9%20%22quoted%22%20%26%20%27single%27/\">caf\u00e9 &quot;quoted&quot; &amp; &#39;single&#39;/</a>")
                .contains("href=\"../\"")
                .doesNotContain("<script>", "<b>");
    }

    @Test
    void whenRootIsListedThenNoParentLink() {
        String page = DirectoryListing.html("/", new DirectoryListing.Listing(List.of(), false), 100);

        assertThat(page).doesNotContain("../").contains("<title>Index of /</title>").contains("name=\"viewport\"");
    }

    @Test
    void whenTruncatedThenThePageSaysSo() {
        String page = DirectoryListing.html("/big/", new DirectoryListing.Listing(List.of(), true), 10000);

        assertThat(page).contains("Only the first 10000 entries");
    }

    @Test
    void whenJsonThenEntriesWithTypeSizeDateAndEncodedLink() {
        DirectoryListing.Listing listing = new DirectoryListing.Listing(List.of(
                new DirectoryListing.Entry("sub dir", true, 0, MODIFIED),
                new DirectoryListing.Entry("<a>.txt", false, 12, MODIFIED)), false);

        JsonNode json = JsonMapper.shared().readTree(DirectoryListing.json("/docs/", listing));

        assertThat(json.get("path").asString()).isEqualTo("/docs/");
        assertThat(json.get("truncated").asBoolean()).isFalse();
        assertThat(json.get("entries").get(0).get("name").asString()).isEqualTo("sub dir");
        assertThat(json.get("entries").get(0).get("type").asString()).isEqualTo("directory");
        assertThat(json.get("entries").get(0).has("size")).isFalse();
        assertThat(json.get("entries").get(0).get("href").asString()).isEqualTo("sub%20dir/");
        assertThat(json.get("entries").get(1).get("name").asString()).isEqualTo("<a>.txt");
        assertThat(json.get("entries").get(1).get("size").asLong()).isEqualTo(12);
        assertThat(json.get("entries").get(1).get("modified").asString()).isEqualTo("2024-05-06T07:08:09Z");
    }

    @Test
    void whenFolderHasMoreEntriesThanTheCapThenReadingStopsThere() throws IOException {
        Path big = Files.createDirectory(temp.resolve("big"));
        for (int i = 0; i < 25; i++) {
            Files.createFile(big.resolve("f" + i));
        }

        DirectoryListing.Listing listing = new DirectoryListing(new DocRoot(temp, false), 20).read(big, "/big");

        assertThat(listing.truncated()).isTrue();
        assertThat(listing.entries()).hasSize(20);
        assertThat(DirectoryListing.MAX_ENTRIES).isEqualTo(10_000);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            plain.txt       | plain.txt
            a b             | a%20b
            50%             | 50%25
            #hash?q         | %23hash%3Fq
            a/b             | a%2Fb
            ~user-_.x       | ~user-_.x
            caf\u00e9       | caf%C3%A9
            \u65e5\u672c    | %E6%97%A5%E6%9C%AC
            """)
    void whenNameIsEncodedThenEverythingButUnreservedIsPercentEncodedAsUtf8(String name, String encoded) {
        assertThat(DirectoryListing.encodeSegment(name)).isEqualTo(encoded);
    }

    @ParameterizedTest
    @CsvSource({"0, 0 B", "1023, 1023 B", "1024, 1.0 KB", "1536, 1.5 KB", "10240, 10 KB", "5242880, 5.0 MB", "1073741824, 1.0 GB"})
    void whenSizeIsShownThenBinaryUnits(long bytes, String shown) {
        assertThat(DirectoryListing.readableSize(bytes)).isEqualTo(shown);
    }

    private void write(String name, int size) throws IOException {
        Path file = Files.write(site.resolve(name), new byte[size]);
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
    }
}
