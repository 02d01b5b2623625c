package dev.pier.multipart;

import static dev.pier.multipart.Forms.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bytes arrive in whatever pieces the network makes: every split of a form in two and in three,
 * and one byte at a time, must give the listener the same events as the whole, refusals included.
 */
class MultipartParserResumeTest {

    private static final MultipartLimits LIMITS = MultipartLimits.DEFAULTS;

    static Stream<Arguments> forms() {
        String field = "Content-Disposition: form-data; name=\"f\"\r\n\r\n";
        return Stream.of(
                argumentSet("curl", MultipartParser.boundary(Forms.curlContentType()), Forms.curlForm()),
                argumentSet("Chromium", Forms.CHROMIUM_BOUNDARY, Forms.chromiumForm()),
                argumentSet("content like the delimiter", "bd",
                        concat("\r\n\r\n--bd\r\n", field, "\r\n--b\r\r\n--\r\n-bd\r\n--bd\r\n", field, "--bd\r\n\r\n--bd--")),
                argumentSet("preamble, padding, epilogue", "bd",
                        concat("pre\r\n--b\r\n--bd \t\r\n", field, "x\r\n--bd-- post\r\n--bd\r\n")),
                argumentSet("part without end", "bd", concat("--bd\r\n", field, "data\r\n--b")),
                argumentSet("malformed delimiter line", "bd", concat("--bd\r\n", field, "data\r\n--bd-x\r\n")),
                argumentSet("bare LF in a head", "bd", concat("--bd\r\nContent-Disposition: form-data; name=\"f\"\n\r\n")),
                argumentSet("no delimiter", "bd", concat("--b\r\n-bd\r\n")));
    }

    @ParameterizedTest
    @MethodSource("forms")
    void whenBytesAreSplitInTwoAtAnyOffsetThenTheEventsAreTheSameAsInOneBuffer(String boundary, byte[] form) {
        String whole = Transcript.whole(boundary, LIMITS, form);
        for (int cut = 0; cut <= form.length; cut++) {
            assertThat(Transcript.split(boundary, LIMITS, form, cut)).as("split at %d", cut).isEqualTo(whole);
        }
    }

    @ParameterizedTest
    @MethodSource("forms")
    void whenBytesAreSplitInThreeAtAnyOffsetsThenTheEventsAreTheSameAsInOneBuffer(String boundary, byte[] form) {
        String whole = Transcript.whole(boundary, LIMITS, form);
        for (int first = 0; first <= form.length; first++) {
            for (int second = first; second <= form.length; second++) {
                assertThat(Transcript.split(boundary, LIMITS, form, first, second)).as("split at %d and %d", first, second).isEqualTo(whole);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("forms")
    void whenBytesArriveOneAtATimeThenTheEventsAreTheSameAsInOneBuffer(String boundary, byte[] form) {
        assertThat(Transcript.byteByByte(boundary, LIMITS, form)).isEqualTo(Transcript.whole(boundary, LIMITS, form));
    }
}
