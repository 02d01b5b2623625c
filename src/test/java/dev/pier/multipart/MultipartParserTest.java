package dev.pier.multipart;

import static dev.pier.multipart.Forms.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the parser reads from forms as clients send them, and from the corners of RFC 2046's syntax. */
class MultipartParserTest {

    private static final MultipartLimits LIMITS = MultipartLimits.DEFAULTS;

    @Test
    void whenCurlSendsAFieldAndAFileThenBothAreReadWithTheirHeads() {
        String boundary = MultipartParser.boundary(Forms.curlContentType());
        assertThat(boundary).isEqualTo("------------------------08438633ee3ffa4b");
        assertThat(Transcript.whole(boundary, LIMITS, Forms.curlForm())).isEqualTo("""
                part name filename=null type=text/plain
                data Ada
                end
                part file filename=somefile.txt type=text/plain
                data Hello, Pier.\\nSecond line with "quotes" and --dashes.\\n
                end
                form end
                """);
    }

    @Test
    void whenChromiumSendsAFormThenFieldsFilesAndTheEmptyFileInputAreRead() {
        String transcript = Transcript.whole(Forms.CHROMIUM_BOUNDARY, LIMITS, Forms.chromiumForm());
        String png = new String(Forms.PNG_LIKE, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
        assertThat(transcript).isEqualTo("part title filename=null type=text/plain\n"
                + "data " + latin1("Grüße, \"Pier\"") + "\n"
                + "end\n"
                + "part avatar filename=%22quoted%22 naïve.png type=image/png\n"
                + "data " + png + "\n"
                + "end\n"
                + "part attachment filename= type=application/octet-stream\n"
                + "end\n"
                + "form end\n");
    }

    @Test
    void whenPartsHaveHeadsThenEachPartCarriesItsFieldsDecodedAsUtf8() throws IOException {
        List<Part> parts = parts(Forms.CHROMIUM_BOUNDARY, Forms.chromiumForm());
        assertThat(parts).extracting(Part::name).containsExactly("title", "avatar", "attachment");
        assertThat(parts).extracting(Part::isFile).containsExactly(false, true, true);
        assertThat(parts.get(1).headers().first("content-disposition")).isEqualTo("form-data; name=\"avatar\"; filename=\"%22quoted%22 naïve.png\"");
        assertThat(parts.get(1).headers().first("Content-Type")).isEqualTo("image/png");
        assertThat(parts.get(2).filename()).isEmpty();
        assertThat(parts.get(2).safeFilename()).isEqualTo("upload");
    }

    @Test
    void whenContentResemblesTheDelimiterButIsNotOneThenItIsData() {
        String content = "--b\r\n\r\n-b\r\n-b \r\n--x\r\n--B\r\nx--b\r\n--b"
                .replace("--b", "--boundar") + "\r--boundary\n--boundary\r\n-boundary";
        byte[] form = form("Content-Disposition: form-data; name=\"f\"\r\n\r\n" + content + "\r\n--boundary--");
        assertThat(Transcript.whole("boundary", LIMITS, form)).isEqualTo("part f filename=null type=text/plain\n"
                + "data " + content.replace("\r", "\\r").replace("\n", "\\n") + "\n"
                + "end\nform end\n");
    }

    @Test
    void whenALineStartsWithTheWholeDelimiterThenItEndsThePartWhateverFollows() {
        byte[] form = form("Content-Disposition: form-data; name=\"f\"\r\n\r\nabc\r\n--boundaryX\r\n--boundary--");
        assertThat(Transcript.whole("boundary", LIMITS, form)).isEqualTo("""
                part f filename=null type=text/plain
                data abc
                end
                error 400 Malformed delimiter line
                """);
    }

    @Test
    void whenThereIsAPreambleEpilogueAndTransportPaddingThenTheyAreSkipped() {
        byte[] padded = concat("preamble\r\n--boundary \t \r\n",
                "Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--boundary\t\r\n",
                "Content-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n--boundary--  epilogue\r\n--boundary\r\ngarbage");
        assertThat(Transcript.whole("boundary", LIMITS, padded)).isEqualTo("""
                part a filename=null type=text/plain
                data 1
                end
                part b filename=null type=text/plain
                data 2
                end
                form end
                """);
    }

    @Test
    void whenTheBodyStartsWithCrlfBeforeTheFirstDelimiterThenThatIsAnEmptyPreamble() {
        byte[] form = concat("\r\n--boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--boundary--");
        assertThat(Transcript.whole("boundary", LIMITS, form)).isEqualTo("part a filename=null type=text/plain\nend\nform end\n");
    }

    @Test
    void whenTheFormHasNoPartThenItEndsAtOnce() {
        assertThat(Transcript.whole("boundary", LIMITS, concat("--boundary--\r\n"))).isEqualTo("form end\n");
    }

    @Test
    void whenFilenameStarIsPresentThenItIsPreferredAndDecoded() throws IOException {
        List<Part> parts = parts("b", form("b",
                "Content-Disposition: form-data; name=\"f\"; filename=\"fallback.txt\"; filename*=UTF-8''na%C3%AFve%20%E2%82%AC.txt\r\n\r\nx",
                "Content-Disposition: form-data; name=\"g\"; filename*=iso-8859-1'en'caf%E9.txt\r\n\r\ny"));
        assertThat(parts).extracting(Part::filename).containsExactly("naïve €.txt", "café.txt");
    }

    @Test
    void whenAQuotedStringHasEscapesThenQuoteAndBackslashAreUnescapedAndOtherBackslashesStay() throws IOException {
        List<Part> parts = parts("b", form("b",
                "Content-Disposition: form-data; name=\"a\\\"b\\\\c\"; filename=\"C:\\Users\\x\\a.txt\"\r\n\r\n",
                "content-disposition: FORM-DATA ; NAME = plain-token ; filename=\"a;b=c\"\r\nContent-Type: text/csv; charset=utf-8\r\n\r\n"));
        assertThat(parts).extracting(Part::name).containsExactly("a\"b\\c", "plain-token");
        assertThat(parts).extracting(Part::filename).containsExactly("C:\\Users\\x\\a.txt", "a;b=c");
        assertThat(parts.get(0).safeFilename()).isEqualTo("a.txt");
        assertThat(parts.get(1).contentType()).isEqualTo("text/csv; charset=utf-8");
    }

    @Test
    void whenContentEndsInTheDelimitersPrefixThenThosePrefixBytesAreDataTheMomentTheyDiffer() throws IOException {
        List<String> slices = new ArrayList<>();
        MultipartParser parser = new MultipartParser("boundary", LIMITS, new Transcript() {
            @Override
            public void partData(ByteBuffer data) {
                slices.add(StandardCharsets.US_ASCII.decode(data).toString());
            }
        });
        parser.feed(ByteBuffer.wrap(concat("--boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nabc\r\n--bound")));
        assertThat(slices).containsExactly("abc");
        parser.feed(ByteBuffer.wrap(concat("ed")));
        assertThat(slices).containsExactly("abc", "\r\n--bound", "ed");
    }

    @Test
    void whenTheBoundaryIsInvalidThenTheParserIsNotMade() {
        assertThatIllegalArgumentException().isThrownBy(() -> new MultipartParser("a".repeat(71), LIMITS, new Transcript()));
        assertThatIllegalArgumentException().isThrownBy(() -> new MultipartParser("ends in space ", LIMITS, new Transcript()));
    }

    @Test
    void whenTheParserFailedOrEndedThenItTakesNoMoreBytes() throws IOException {
        MultipartParser failed = new MultipartParser("b", LIMITS, new Transcript());
        assertThatExceptionOfType(MultipartException.class).isThrownBy(failed::end);
        assertThatIllegalStateException().isThrownBy(() -> failed.feed(ByteBuffer.allocate(1)));

        MultipartParser ended = new MultipartParser("b", LIMITS, new Transcript());
        ended.feed(ByteBuffer.wrap(concat("--b--")));
        ended.end();
        ended.end();
        assertThatIllegalStateException().isThrownBy(() -> ended.feed(ByteBuffer.allocate(1)));
    }

    /** The parts of a form that parses. */
    static List<Part> parts(String boundary, byte[] form) throws IOException {
        List<Part> parts = new ArrayList<>();
        MultipartParser parser = new MultipartParser(boundary, LIMITS, new Transcript() {
            @Override
            public void partStarted(Part part) {
                parts.add(part);
            }
        });
        parser.feed(ByteBuffer.wrap(form));
        parser.end();
        return parts;
    }

    /** A form of boundary "boundary" whose one part is {@code part}, head and content, closed. */
    static byte[] form(String part) {
        return concat("--boundary\r\n", part, "\r\n--boundary--\r\n");
    }

    /** A form of these parts, heads and contents. */
    static byte[] form(String boundary, String... parts) {
        StringBuilder form = new StringBuilder();
        for (String part : parts) {
            form.append("--").append(boundary).append("\r\n").append(part).append("\r\n");
        }
        return concat(form.append("--").append(boundary).append("--\r\n"));
    }

    private static String latin1(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
