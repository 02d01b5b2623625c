package dev.pier.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The boundary from a request's Content-Type: 415 when it is no form, 400 when the boundary is missing or invalid. */
class BoundaryTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                argumentSet("curl", "multipart/form-data; boundary=------------------------08438633ee3ffa4b", "------------------------08438633ee3ffa4b"),
                argumentSet("Chromium", "multipart/form-data; boundary=----WebKitFormBoundaryq3SbZ7xWv1nTt0Yr", "----WebKitFormBoundaryq3SbZ7xWv1nTt0Yr"),
                argumentSet("quoted, with bchars a token may not hold", "multipart/form-data; boundary=\"a b:c=d?e/(f)\"", "a b:c=d?e/(f)"),
                argumentSet("type in any case, other parameters", "Multipart/Form-Data;charset=utf-8 ;BOUNDARY=x", "x"),
                argumentSet("70 characters", "multipart/form-data; boundary=" + "a".repeat(70), "a".repeat(70)));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void whenTheContentTypeIsAFormWithAValidBoundaryThenItIsTaken(String contentType, String boundary) {
        assertThat(MultipartParser.boundary(contentType)).isEqualTo(boundary);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                argumentSet("no Content-Type", null, "415 Content-Type is not multipart/form-data"),
                argumentSet("urlencoded form", "application/x-www-form-urlencoded", "415 Content-Type is not multipart/form-data"),
                argumentSet("another multipart", "multipart/mixed; boundary=x", "415 Content-Type is not multipart/form-data"),
                argumentSet("missing boundary", "multipart/form-data", "400 Missing boundary in Content-Type"),
                argumentSet("missing boundary, other parameter", "multipart/form-data; charset=utf-8", "400 Missing boundary in Content-Type"),
                argumentSet("empty boundary", "multipart/form-data; boundary=\"\"", "400 Empty boundary"),
                argumentSet("71 characters", "multipart/form-data; boundary=" + "a".repeat(71), "400 Boundary longer than 70 characters"),
                argumentSet("not a bchar", "multipart/form-data; boundary=a*b", "400 Invalid character in boundary"),
                argumentSet("ending in a space", "multipart/form-data; boundary=\"ab \"", "400 Boundary ends in a space"),
                argumentSet("unterminated quote", "multipart/form-data; boundary=\"ab", "400 Malformed quoted-string in Content-Type"),
                argumentSet("two boundaries", "multipart/form-data; boundary=a; boundary=b", "400 Repeated parameter boundary in Content-Type"),
                argumentSet("boundary without value", "multipart/form-data; boundary=", "400 Malformed Content-Type"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void whenTheContentTypeIsNoFormOrItsBoundaryIsInvalidThenItIsRefused(String contentType, String refusal) {
        MultipartException refused = catchThrowableOfType(MultipartException.class, () -> MultipartParser.boundary(contentType));
        assertThat(refused.status() + " " + refused.reason()).isEqualTo(refusal);
    }
}
