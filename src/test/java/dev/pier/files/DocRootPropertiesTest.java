package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.http.UrlEncoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property: any request path the decoder accepts resolves inside the document root, or not at all.
 * Paths are generated from the pieces traversal attacks are made of (dot segments plain and
 * encoded, slashes and backslashes, symlinks that lead out, hidden names) over a tree that has a
 * secret right beside the root. Each path is also given to {@link DocRoot} undecoded, since it
 * trusts no caller.
 *
 * <p>Seeded like {@code RequestParserPropertiesTest}: a new seed each run unless
 * {@code -Dpier.test.seed=<seed>} is given; every failure names the seed and the path.
 */
class DocRootPropertiesTest {

    private static final long SEED = Long.getLong("pier.test.seed", System.nanoTime());
    private static final int RUNS = 20_000;
    private static final List<String> SEGMENTS = List.of("..", ".", "", "%2e%2e", "%2E%2e", ".%2e", "%2e", "%2f", "%2F..%2F", "%5c", "..\\..",
            "%5c..%5c", "...", "%252e%252e", "%c0%ae%c0%ae", "%00", "a.txt", "sub", "b.txt", "link-in", "link-out", "file-link-out",
            ".hidden", ".git", "config", "index.html", "secret", "key.txt", "site", "~", "a%20b", ";", ":", "C:", "%3a", "sub;x=1");

    @TempDir
    Path temp;

    private Path site;
    private Path outside;

    @BeforeEach
    void createTree() throws IOException {
        site = Files.createDirectory(temp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>home</h1>");
        Files.writeString(site.resolve("a.txt"), "a");
        Files.createDirectory(site.resolve("sub"));
        Files.writeString(site.resolve("sub/b.txt"), "b");
        Files.writeString(site.resolve("sub/.hidden"), "hidden");
        Files.createDirectory(site.resolve(".git"));
        Files.writeString(site.resolve(".git/config"), "[core]");
        Files.createSymbolicLink(site.resolve("link-in"), site.resolve("sub"));
        outside = Files.createDirectory(temp.resolve("secret"));
        Files.writeString(outside.resolve("key.txt"), "do not serve");
        Files.createSymbolicLink(site.resolve("link-out"), outside);
        Files.createSymbolicLink(site.resolve("file-link-out"), outside.resolve("key.txt"));
        Files.createSymbolicLink(site.resolve("sub/up"), temp);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void whenAnyPathIsResolvedThenWhatItFindsLiesInsideTheRoot(boolean serveHiddenFiles) throws IOException {
        DocRoot docRoot = new DocRoot(site, serveHiddenFiles);
        Path root = site.toRealPath();
        Path secret = outside.toRealPath();
        Random random = new Random(SEED);
        int inside = 0;
        for (int run = 0; run < RUNS; run++) {
            String raw = randomPath(random);
            String decoded = UrlEncoding.decodePath(raw);
            for (String path : decoded == null ? List.of(raw) : List.of(raw, decoded)) {
                String context = "seed " + SEED + ", run " + run + ", path " + path;
                Resolution resolution = docRoot.resolve(path);
                Path found = null;
                if (resolution instanceof Resolution.Found file) {
                    found = file.file();
                } else if (resolution instanceof Resolution.Directory directory) {
                    found = directory.directory();
                }
                if (found == null) {
                    continue;
                }
                inside++;
                assertThat(found).as(context).startsWith(root);
                assertThat(found.toRealPath()).as(context).isEqualTo(found);
                assertThat(found.startsWith(secret)).as(context).isFalse();
                if (!serveHiddenFiles) {
                    assertThat(root.relativize(found).toString()).as(context).doesNotContain("/.").doesNotStartWith(".");
                }
            }
        }
        // The generator must reach real files often enough for the property to mean something.
        assertThat(inside).as("paths that found something, seed " + SEED).isGreaterThan(RUNS / 20);
    }

    private static String randomPath(Random random) {
        StringBuilder path = new StringBuilder("/");
        int segments = random.nextInt(7);
        for (int i = 0; i < segments; i++) {
            if (i > 0) {
                path.append(random.nextInt(10) == 0 ? "//" : "/");
            }
            path.append(SEGMENTS.get(random.nextInt(SEGMENTS.size())));
        }
        if (random.nextInt(4) == 0) {
            path.append('/');
        }
        return path.toString();
    }
}
