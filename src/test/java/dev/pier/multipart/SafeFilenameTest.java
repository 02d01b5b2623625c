package dev.pier.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.pier.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Part#safeFilename()}: the last segment, cleaned, short, never empty nor a dot name. */
class SafeFilenameTest {

    static Stream<Arguments> filenames() {
        return Stream.of(
                argumentSet("plain", "report.pdf", "report.pdf"),
                argumentSet("climbing a Unix path", "../../etc/passwd", "passwd"),
                argumentSet("a Windows path", "C:\\Users\\x\\a.txt", "a.txt"),
                argumentSet("mixed separators", "a/b\\c/d.txt", "d.txt"),
                argumentSet("hidden file", ".htaccess", "htaccess"),
                argumentSet("dot dot", "..", "upload"),
                argumentSet("dot", ".", "upload"),
                argumentSet("trailing slash", "dir/", "upload"),
                argumentSet("empty", "", "upload"),
                argumentSet("a field", null, "upload"),
                argumentSet("control characters", "a\u0000b\r\nc\u001b[31m\u007f\u0085.txt", "abc[31m.txt"),
                argumentSet("drive letter and stream", "C:evil.txt:$DATA", "Cevil.txt$DATA"),
                argumentSet("dots and spaces around", " ..  .name.txt  ", "name.txt"),
                argumentSet("bidi override", "invoice\u202Etxt.exe", "invoicetxt.exe"),
                argumentSet("dots after control characters", "\u0001.\u0002.x", "x"),
                argumentSet("non-ASCII kept", "naïve résumé 日本.txt", "naïve résumé 日本.txt"),
                argumentSet("percent-encoded quote kept as sent", "%22quoted%22.png", "%22quoted%22.png"));
    }

    @ParameterizedTest
    @MethodSource("filenames")
    void whenAFilenameIsMadeSafeThenOnlyItsCleanedLastSegmentIsLeft(String filename, String safe) {
        assertThat(part(filename).safeFilename()).isEqualTo(safe);
    }

    @Test
    void whenAFilenameIsLongerThan255BytesThenItIsCutBetweenCharacters() {
        String ascii = "a".repeat(300);
        assertThat(part(ascii).safeFilename()).isEqualTo("a".repeat(255));

        // "é" is two bytes: 127 of them are 254 bytes, the 128th would be 256.
        String twoByte = "é".repeat(200);
        assertThat(part(twoByte).safeFilename()).isEqualTo("é".repeat(127));

        // An emoji is four bytes and two chars: 63 are 252 bytes; a cut must not split a surrogate pair.
        String fourByte = "a" + "😀".repeat(100);
        String safe = part(fourByte).safeFilename();
        assertThat(safe).isEqualTo("a" + "😀".repeat(63));
        assertThat(safe.getBytes(StandardCharsets.UTF_8)).hasSize(253);
    }

    private static Part part(String filename) {
        return new Part("f", filename, Part.DEFAULT_CONTENT_TYPE, HttpHeaders.EMPTY);
    }
}
