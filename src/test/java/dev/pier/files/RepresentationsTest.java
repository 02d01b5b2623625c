package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepresentationsTest {

    private static final String JS = MediaTypes.forFileName("app.js");

    @TempDir
    private Path root;

    private DocRoot docRoot;
    private final Representations representations = new Representations(StaticFileSettings.Compression.DEFAULTS);

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(root.resolve("app.js"), "console.log('x');\n".repeat(200));
        docRoot = new DocRoot(root, false);
    }

    @Test
    void whenOneResolutionAnswersAgainThenTheSameRepresentationWithoutWorkingItOutAgain() {
        Resolution.Found found = (Resolution.Found) docRoot.resolve("/app.js");

        Representation first = representations.select(found, JS, AcceptEncoding.IDENTITY_ONLY, true);
        Representation second = representations.select(found, JS, AcceptEncoding.IDENTITY_ONLY, true);

        assertThat(second).isSameAs(first);
        assertThat(first.coding()).isEqualTo(ContentCoding.IDENTITY);
        assertThat(first.lastModifiedText()).endsWith(" GMT");
    }

    @Test
    void whenASiblingAppearsThenTheResolutionThatLookedKeepsItsAnswerAndTheNextOneFindsIt() throws IOException {
        AcceptEncoding brotli = AcceptEncoding.parse("br");
        Resolution.Found before = (Resolution.Found) docRoot.resolve("/app.js");
        assertThat(representations.select(before, JS, brotli, true).coding()).isEqualTo(ContentCoding.IDENTITY);

        Files.writeString(root.resolve("app.js.br"), "compressed");

        assertThat(representations.select(before, JS, brotli, true).coding()).isEqualTo(ContentCoding.IDENTITY);
        Resolution.Found after = (Resolution.Found) docRoot.resolve("/app.js");
        Representation sibling = representations.select(after, JS, brotli, true);
        assertThat(sibling.coding()).isEqualTo(ContentCoding.BR);
        assertThat(sibling.file()).isEqualTo(after.file().resolveSibling("app.js.br"));
    }
}
