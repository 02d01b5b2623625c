package dev.pier.http2;

import static dev.pier.test.Octets.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Telling prior-knowledge HTTP/2 from HTTP/1.1 on a cleartext port, from the first bytes. */
class PrefaceTest {

    private static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

    @Test
    void whenOnlyPartOfThePrefaceHasArrivedThenMoreIsNeeded() {
        for (int length = 0; length < PREFACE.length(); length++) {
            ByteBuffer in = ByteBuffer.wrap(ascii(PREFACE.substring(0, length)));
            assertThat(Preface.match(in)).as("first %d bytes", length).isEqualTo(Preface.Match.PARTIAL);
            assertThat(in.position()).isZero();
        }
    }

    @Test
    void whenTheWholePrefaceHasArrivedThenItIsCompleteAndLeftForTheCallerToSkip() {
        ByteBuffer in = ByteBuffer.wrap(ascii("xx" + PREFACE + "\0\0\0\4"));
        in.position(2);
        assertThat(Preface.match(in)).isEqualTo(Preface.Match.COMPLETE);
        assertThat(in.position()).isEqualTo(2);
        assertThat(Preface.LENGTH).isEqualTo(24);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET / HTTP/1.1\r\n", "PUT /a HTTP/1.1\r\n", "PATCH", "PRI * HTTP/1.1\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\n",
            "\r\n"})
    void whenTheBytesAreNotThePrefaceThenTheyMismatchAsSoonAsTheyDiffer(String start) {
        assertThat(Preface.match(ByteBuffer.wrap(ascii(start)))).isEqualTo(Preface.Match.MISMATCH);
    }

    @Test
    void whenAClientSendsThePrefaceThenItIsTheOneOfTheRfc() {
        ByteBuffer bytes = Preface.bytes();
        assertThat(bytes.isReadOnly()).isTrue();
        assertThat(Preface.match(bytes)).isEqualTo(Preface.Match.COMPLETE);
        assertThat(bytes.remaining()).isEqualTo(24);
    }
}
