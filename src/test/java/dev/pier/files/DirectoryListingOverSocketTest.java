package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Directory listings over a real socket, with names that break naive escaping, and links that must work. */
@Timeout(20)
class DirectoryListingOverSocketTest {

    private static final List<String> AWKWARD = List.of("my file.txt", "100%.txt", "#hash?.txt", "caf\u00e9 \u65e5\u672c.txt",
            "<script>alert(1)<script>.txt", "a&b \"q\" 'x'.txt");

    @TempDir
    Path root;

    private FileServer server;

    @BeforeEach
    void startServer() throws IOException {
        assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")), "file names in UTF-8");
        Path files = Files.createDirectories(root.resolve("files"));
        for (String name : AWKWARD) {
            Files.writeString(files.resolve(name), "content of " + name);
        }
        Files.createDirectories(files.resolve("sub folder"));
        Files.writeString(files.resolve("sub folder/inner.txt"), "inner");
        Files.writeString(files.resolve(".secret"), "hidden");
        Files.createDirectories(root.resolve("with-index"));
        Files.writeString(root.resolve("with-index/index.html"), "<h1>index wins</h1>");
        Files.writeString(root.resolve("with-index/other.txt"), "other");
        server = FileServer.start(root, StaticFileSettings.DEFAULTS.withDirectoryListing(true));
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void whenListingIsOffThenAFolderWithoutIndexIs404() throws IOException {
        try (FileServer off = FileServer.start(root, StaticFileSettings.DEFAULTS)) {
            assertThat(off.get("/files/").status()).isEqualTo(404);
        }
    }

    @Test
    void whenFolderHasNoIndexThenAnHtmlPageWhoseEveryLinkWorks() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse listing = client.send(RawClient.get("/files/")).read();

            assertThat(listing.status()).isEqualTo(200);
            assertThat(listing.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
            assertThat(listing.header("Cache-Control")).isEqualTo("no-cache");
            assertThat(listing.header("Vary")).isEqualTo("Accept");
            String page = listing.bodyText();
            assertThat(page).doesNotContain("<script>", ".secret").contains("&lt;script&gt;alert(1)&lt;script&gt;.txt", "Index of /files/");
            List<String> hrefs = hrefs(page);
            assertThat(hrefs).first().isEqualTo("../");
            assertThat(hrefs.get(1)).isEqualTo("./sub%20folder/");
            assertThat(hrefs).hasSize(AWKWARD.size() + 2);
            for (String href : hrefs.subList(2, hrefs.size())) {
                RawResponse file = client.send(RawClient.get("/files/" + href.substring(2))).read();
                assertThat(file.status()).as(href).isEqualTo(200);
                assertThat(file.bodyText()).startsWith("content of ");
            }
            assertThat(client.send(RawClient.get("/files/sub%20folder/")).read().bodyText()).contains("inner.txt");
        }
    }

    @Test
    void whenClientAsksForJsonThenTheListingIsJson() throws IOException {
        RawResponse response = server.get("/files/", "Accept: application/json");

        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        JsonNode json = JsonMapper.shared().readTree(response.body());
        assertThat(json.get("path").asString()).isEqualTo("/files/");
        List<String> names = new ArrayList<>();
        json.get("entries").forEach(entry -> names.add(entry.get("name").asString()));
        assertThat(names).first().isEqualTo("sub folder");
        assertThat(names).containsAll(AWKWARD).doesNotContain(".secret");
    }

    @Test
    void whenHeadOfListingThenLengthOfGet() throws IOException {
        RawResponse get = server.get("/files/");
        RawResponse head = server.exchange("HEAD", "/files/");

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(get.body().length));
    }

    @Test
    void whenFolderHasAnIndexThenTheIndexNotTheListing() throws IOException {
        assertThat(server.get("/with-index/").bodyText()).isEqualTo("<h1>index wins</h1>");
    }

    @Test
    void whenFolderWithoutSlashThenStillTheRedirectFirst() throws IOException {
        RawResponse response = server.get("/files");

        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("Location")).isEqualTo("/files/");
    }

    @Test
    void whenHiddenFilesAreServedThenTheyAreListed() throws IOException {
        try (FileServer hidden = FileServer.start(root, true, StaticFileSettings.DEFAULTS.withDirectoryListing(true))) {
            assertThat(hidden.get("/files/").bodyText()).contains(".secret");
        }
    }

    private static List<String> hrefs(String page) {
        List<String> hrefs = new ArrayList<>();
        Matcher matcher = Pattern.compile("href=\"([^\"]*)\"").matcher(page);
        while (matcher.find()) {
            hrefs.add(matcher.group(1));
        }
        return hrefs;
    }
}
