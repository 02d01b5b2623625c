package dev.pier.http2;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The wire codes of error codes and frame types (RFC 9113 §7, §6), both ways. */
class ErrorCodeTest {

    @Test
    void whenACodeIsKnownThenItIsTheRfcsConstant() {
        assertThat(ErrorCode.NO_ERROR.code()).isZero();
        assertThat(ErrorCode.CANCEL.code()).isEqualTo(0x8);
        assertThat(ErrorCode.ENHANCE_YOUR_CALM.code()).isEqualTo(0xb);
        assertThat(ErrorCode.HTTP_1_1_REQUIRED.code()).isEqualTo(0xd);
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ErrorCode.of(code.code())).isSameAs(code);
        }
    }

    @Test
    void whenACodeIsUnknownThenItMeansInternalError() {
        assertThat(ErrorCode.of(0xe)).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(ErrorCode.of(0xffff_ffffL)).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(ErrorCode.of(-1)).isEqualTo(ErrorCode.INTERNAL_ERROR);
    }

    @Test
    void whenAFrameTypeIsKnownThenItHasTheRfcsCodeAndOthersAreNone() {
        assertThat(FrameType.DATA.code()).isZero();
        assertThat(FrameType.SETTINGS.code()).isEqualTo(0x4);
        assertThat(FrameType.CONTINUATION.code()).isEqualTo(0x9);
        for (FrameType type : FrameType.values()) {
            assertThat(FrameType.of(type.code())).isSameAs(type);
        }
        assertThat(FrameType.of(0xa)).isNull();
        assertThat(FrameType.of(0xff)).isNull();
    }

    @Test
    void whenAStreamErrorIsMadeThenItNamesItsStream() {
        Http2Exception stream = Http2Exception.streamError(3, ErrorCode.CANCEL, "gone");
        assertThat(stream.isConnectionError()).isFalse();
        assertThat(stream).hasToString("stream error on 3 CANCEL: gone");
        assertThat(Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR, "bad")).hasToString("connection error PROTOCOL_ERROR: bad");
        assertThat(stream.getStackTrace()).isEmpty();
    }
}
