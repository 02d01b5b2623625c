package dev.pier.multipart;

import static dev.pier.multipart.Forms.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each malformed form and each limit passed gets its own status and reason. */
class MultipartParserRejectionTest {

    private static final String NAMED = "Content-Disposition: form-data; name=\"f\"\r\n\r\n";

    static Stream<Arguments> malformed() {
        return Stream.of(
                argumentSet("no delimiter before the end", concat("preamble only\r\n--b"), "400 Form without a delimiter"),
                argumentSet("empty body", new byte[0], "400 Form without a delimiter"),
                argumentSet("input ends mid-part", concat("--bd\r\n", NAMED, "half a val"), "400 Part without end"),
                argumentSet("input ends in a part head", concat("--bd\r\nContent-Disposition: form-"), "400 Part without end"),
                argumentSet("input ends in a delimiter line", concat("--bd\r\n", NAMED, "v\r\n--bd  "), "400 Part without end"),
                argumentSet("input ends after one dash of the close", concat("--bd\r\n", NAMED, "v\r\n--bd-"), "400 Part without end"),
                argumentSet("text after the boundary", concat("--bd\r\n", NAMED, "v\r\n--bdx\r\n"), "400 Malformed delimiter line"),
                argumentSet("bare LF after the boundary", concat("--bd\n", NAMED), "400 Malformed delimiter line"),
                argumentSet("text after padding", concat("--bd \tx\r\n"), "400 Malformed delimiter line"),
                argumentSet("CR without LF after the boundary", concat("--bd\r\r\n"), "400 Malformed delimiter line"),
                argumentSet("missing Content-Disposition", concat("--bd\r\nContent-Type: text/plain\r\n\r\nv\r\n--bd--"), "400 Part without Content-Disposition"),
                argumentSet("no header at all", concat("--bd\r\n\r\nv\r\n--bd--"), "400 Part without Content-Disposition"),
                argumentSet("two Content-Dispositions", concat("--bd\r\n", NAMED.replace("\r\n\r\n", "\r\n"), NAMED, "--bd--"),
                        "400 More than one Content-Disposition in a part"),
                argumentSet("missing name", concat("--bd\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\n"), "400 Part without a name"),
                argumentSet("not form-data", concat("--bd\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n"), "400 Content-Disposition is not form-data"),
                argumentSet("unterminated quoted-string", concat("--bd\r\nContent-Disposition: form-data; name=\"a\r\n\r\n"),
                        "400 Malformed quoted-string in Content-Disposition"),
                argumentSet("quoted-string ending in an escaped quote", concat("--bd\r\nContent-Disposition: form-data; name=\"a\\\"\r\n\r\n"),
                        "400 Malformed quoted-string in Content-Disposition"),
                argumentSet("parameter without value", concat("--bd\r\nContent-Disposition: form-data; name\r\n\r\n"), "400 Malformed Content-Disposition"),
                argumentSet("text after a quoted value", concat("--bd\r\nContent-Disposition: form-data; name=\"a\"b\r\n\r\n"),
                        "400 Malformed Content-Disposition"),
                argumentSet("repeated name", concat("--bd\r\nContent-Disposition: form-data; name=a; NAME=b\r\n\r\n"),
                        "400 Repeated parameter name in Content-Disposition"),
                argumentSet("bad filename*", concat("--bd\r\nContent-Disposition: form-data; name=a; filename*=UTF-8'%C3\r\n\r\n"), "400 Malformed filename*"),
                argumentSet("bad escape in filename*", concat("--bd\r\nContent-Disposition: form-data; name=a; filename*=UTF-8''%G1\r\n\r\n"),
                        "400 Malformed filename*"),
                argumentSet("filename* in another charset", concat("--bd\r\nContent-Disposition: form-data; name=a; filename*=UTF-16''a\r\n\r\n"),
                        "400 Unsupported charset in filename*"),
                argumentSet("bare LF in a head", concat("--bd\r\nContent-Disposition: form-data; name=a\n\n"), "400 Bare LF in part head"),
                argumentSet("bare CR in a head", concat("--bd\r\nContent-Disposition: form-data;\r name=a\r\n\r\n"), "400 Bare CR in part head"),
                argumentSet("obs-fold in a head", concat("--bd\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\n"), "400 Obsolete line folding in part head"),
                argumentSet("field without colon", concat("--bd\r\nContent-Disposition form-data\r\n\r\n"), "400 Malformed header field in part head"),
                argumentSet("space before colon", concat("--bd\r\nContent-Disposition : form-data; name=a\r\n\r\n"), "400 Malformed header field in part head"),
                argumentSet("control character", concat("--bd\r\nContent-Disposition: form-data; name=\"a\u0000\"\r\n\r\n"), "400 Control character in part head"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void whenTheFormIsMalformedThenItIsRefusedWithItsReason(byte[] form, String refusal) {
        assertThat(lastLine(Transcript.whole("bd", MultipartLimits.DEFAULTS, form))).isEqualTo("error " + refusal);
    }

    static Stream<Arguments> pastLimits() {
        byte[] threeFields = concat("--bd\r\n", NAMED, "1\r\n--bd\r\n", NAMED, "2\r\n--bd\r\n", NAMED, "3\r\n--bd--");
        byte[] file = concat("--bd\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\n", "0123456789", "\r\n--bd--");
        return Stream.of(
                argumentSet("too many parts", limits(2, 1024, 100, 100, 100, 1000), threeFields, "413 Too many parts"),
                argumentSet("as many parts as allowed", limits(3, 1024, 100, 100, 100, 1000), threeFields, "form end"),
                argumentSet("field over its limit", limits(3, 1024, 10, 100, 100, 1000),
                        concat("--bd\r\n", NAMED, "01234567890\r\n--bd--"), "413 Field too large"),
                argumentSet("field at its limit", limits(3, 1024, 10, 100, 100, 1000),
                        concat("--bd\r\n", NAMED, "0123456789\r\n--bd--"), "form end"),
                argumentSet("fields over their total", limits(3, 1024, 10, 2, 100, 1000), threeFields, "413 Fields too large"),
                argumentSet("file over its limit", limits(3, 1024, 100, 100, 9, 1000), file, "413 File too large"),
                argumentSet("file at its limit, larger than a field may be", limits(3, 1024, 1, 1, 10, 1000), file, "form end"),
                argumentSet("part head over its limit", limits(3, NAMED.length() - 1, 100, 100, 100, 1000), threeFields, "413 Part head too large"),
                argumentSet("part head at its limit", limits(3, NAMED.length(), 100, 100, 100, 1000), threeFields, "form end"),
                argumentSet("padding counts in the part head", limits(3, NAMED.length(), 100, 100, 100, 1000),
                        concat("--bd \r\n", NAMED, "1\r\n--bd--"), "413 Part head too large"),
                argumentSet("head that never ends", limits(3, 1024, 100, 100, 100, 100_000),
                        concat("--bd\r\nContent-Disposition: form-data; name=\"", "a".repeat(2000)), "413 Part head too large"),
                argumentSet("form over its total", limits(3, 1024, 100, 100, 100, threeFields.length - 1), threeFields, "413 Form too large"),
                argumentSet("form at its total", limits(3, 1024, 100, 100, 100, threeFields.length), threeFields, "form end"));
    }

    @ParameterizedTest
    @MethodSource("pastLimits")
    void whenALimitIsPassedThenTheFormIsRefusedWith413(MultipartLimits limits, byte[] form, String outcome) {
        String last = lastLine(Transcript.whole("bd", limits, form));
        assertThat(last).isEqualTo(outcome.startsWith("4") ? "error " + outcome : outcome);
        assertThat(lastLine(Transcript.byteByByte("bd", limits, form))).as("byte by byte").isEqualTo(last);
    }

    @Test
    void whenLimitsAreNonsenseThenTheyAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> limits(0, 1, 0, 0, 0, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> limits(1, 1, -1, 0, 0, 0));
    }

    private static MultipartLimits limits(int parts, int partHead, long field, long fields, long file, long total) {
        return new MultipartLimits(parts, partHead, field, fields, file, total);
    }

    private static String lastLine(String transcript) {
        String[] lines = transcript.split("\n");
        return lines[lines.length - 1];
    }
}
