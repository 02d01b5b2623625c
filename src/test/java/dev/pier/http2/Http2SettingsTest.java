package dev.pier.http2;

import static dev.pier.http2.RawFrames.setting;
import static dev.pier.test.Octets.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Settings as RFC 9113 §6.5.2 defines them, from a SETTINGS payload or an h2c upgrade's HTTP2-Settings header. */
class Http2SettingsTest {

    @Test
    void whenNothingWasSaidThenTheSettingsAreTheRfcsInitialValues() {
        Http2Settings defaults = Http2Settings.DEFAULTS;
        assertThat(defaults.headerTableSize()).isEqualTo(4096);
        assertThat(defaults.enablePush()).isTrue();
        assertThat(defaults.maxConcurrentStreams()).isEqualTo(0xffff_ffffL);
        assertThat(defaults.initialWindowSize()).isEqualTo(65_535);
        assertThat(defaults.maxFrameSize()).isEqualTo(16_384);
        assertThat(defaults.maxHeaderListSize()).isEqualTo(0xffff_ffffL);
        assertThat(defaults.changedFromDefaults()).isEmpty();
    }

    @Test
    void whenAPayloadIsParsedThenItsSettingsComeInOrderWithoutUnknownOnes() throws Http2Exception {
        ByteBuffer payload = ByteBuffer.wrap(concat(setting(Http2Settings.MAX_FRAME_SIZE, 20_000), setting(0xffff, 1),
                setting(Http2Settings.HEADER_TABLE_SIZE, 0), setting(Http2Settings.MAX_FRAME_SIZE, 30_000)));
        List<Http2Settings.Setting> settings = Http2Settings.parse(payload);
        assertThat(settings).containsExactly(new Http2Settings.Setting(5, 20_000), new Http2Settings.Setting(1, 0),
                new Http2Settings.Setting(5, 30_000));
        assertThat(payload.hasRemaining()).isFalse();
        Http2Settings applied = Http2Settings.DEFAULTS.with(settings);
        assertThat(applied.maxFrameSize()).as("the last of a repeated setting counts").isEqualTo(30_000);
        assertThat(applied.headerTableSize()).isZero();
        assertThat(applied.changedFromDefaults()).containsExactly(new Http2Settings.Setting(1, 0), new Http2Settings.Setting(5, 30_000));
    }

    @Test
    void whenValuesAreAtTheEdgesOfTheirRangesThenTheyAreAccepted() throws Http2Exception {
        ByteBuffer payload = ByteBuffer.wrap(concat(setting(Http2Settings.ENABLE_PUSH, 0), setting(Http2Settings.ENABLE_PUSH, 1),
                setting(Http2Settings.INITIAL_WINDOW_SIZE, Integer.MAX_VALUE), setting(Http2Settings.MAX_FRAME_SIZE, 16_384),
                setting(Http2Settings.MAX_FRAME_SIZE, 16_777_215), setting(Http2Settings.HEADER_TABLE_SIZE, 0xffff_ffffL),
                setting(Http2Settings.MAX_CONCURRENT_STREAMS, 0), setting(Http2Settings.MAX_HEADER_LIST_SIZE, 0)));
        Http2Settings settings = Http2Settings.DEFAULTS.with(Http2Settings.parse(payload));
        assertThat(settings).isEqualTo(new Http2Settings(0xffff_ffffL, true, 0, Integer.MAX_VALUE, 16_777_215, 0));
    }

    @Test
    void whenAPayloadIsNotWholeEntriesThenItIsAFrameSizeError() {
        assertThatExceptionOfType(Http2Exception.class).isThrownBy(() -> Http2Settings.parse(ByteBuffer.allocate(5)))
                .satisfies(e -> assertThat(e.error()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR));
    }

    @Test
    void whenSettingsAreOutsideTheProtocolThenTheRecordRefusesThem() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Http2Settings(-1, true, 0, 0, 16_384, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new Http2Settings(0, true, 1L << 32, 0, 16_384, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new Http2Settings(0, true, 0, -1, 16_384, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new Http2Settings(0, true, 0, 0, 16_383, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new Http2Settings(0, true, 0, 0, 1 << 24, 0));
    }

    @Test
    void whenAnUpgradeCarriesSettingsThenTheyApplyToTheDefaults() throws Http2Exception {
        // MAX_CONCURRENT_STREAMS 100, INITIAL_WINDOW_SIZE 2^25, ENABLE_PUSH 0, as clients commonly send them.
        Http2Settings settings = Http2Settings.fromUpgradeHeader("AAMAAABkAAQCAAAAAAIAAAAA");
        assertThat(settings).isEqualTo(new Http2Settings(4096, false, 100, 1 << 25, 16_384, 0xffff_ffffL));
    }

    @Test
    void whenAnUpgradeHeaderHasSpacesAroundThenItIsStillRead() throws Http2Exception {
        String header = Base64.getUrlEncoder().encodeToString(setting(Http2Settings.MAX_FRAME_SIZE, 20_000));
        assertThat(header).as("whole entries are a multiple of 3 bytes: no padding").doesNotContain("=");
        assertThat(Http2Settings.fromUpgradeHeader(" " + header + "\t").maxFrameSize()).isEqualTo(20_000);
    }

    @Test
    void whenAnUpgradeHeaderIsEmptyThenTheSettingsAreTheDefaults() throws Http2Exception {
        assertThat(Http2Settings.fromUpgradeHeader("")).isEqualTo(Http2Settings.DEFAULTS);
    }

    @Test
    void whenAnUpgradeHeaderUsesBase64UrlCharactersThenTheyAreDecoded() throws Http2Exception {
        // 0xfbff and 0xffff: unknown identifiers whose encoding needs '-' and '_'.
        byte[] payload = concat(setting(0xfbff, 0xffff_ffffL), setting(0xffff, 0));
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
        assertThat(header).contains("-", "_");
        assertThat(Http2Settings.fromUpgradeHeader(header)).isEqualTo(Http2Settings.DEFAULTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AAMAAABk+AQCAAAAAAIAAAAA", "AAMAAABk/AQCAAAAAAIAAAAA", "AAMA AABk", "AAMAAABk*", "A", "AAMAAABkAAQC=AAAAAAIAAAAA"})
    void whenAnUpgradeHeaderIsNotBase64UrlThenItIsRefused(String header) {
        assertThatExceptionOfType(Http2Exception.class).isThrownBy(() -> Http2Settings.fromUpgradeHeader(header))
                .satisfies(e -> assertThat(e.isConnectionError()).isTrue());
    }

    @Test
    void whenAnUpgradeHeaderIsNotWholeEntriesOrHasAnInvalidValueThenItIsRefused() {
        String partial = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[5]);
        assertThatExceptionOfType(Http2Exception.class).isThrownBy(() -> Http2Settings.fromUpgradeHeader(partial))
                .satisfies(e -> assertThat(e.error()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR));
        String push = Base64.getUrlEncoder().withoutPadding().encodeToString(setting(Http2Settings.ENABLE_PUSH, 2));
        assertThatExceptionOfType(Http2Exception.class).isThrownBy(() -> Http2Settings.fromUpgradeHeader(push))
                .satisfies(e -> assertThat(e.error()).isEqualTo(ErrorCode.PROTOCOL_ERROR));
    }
}
