package dev.pier.http2;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The six settings of RFC 9113 §6.5.2 that one endpoint declares to the other. A SETTINGS frame
 * lists only the settings it changes, so the parser hands out the {@link Setting}s it carried and
 * the session keeps the running value with {@link #with}.
 *
 * <p>The 32-bit settings are {@code long}s, as they are unsigned. "No limit", the initial value
 * of MAX_CONCURRENT_STREAMS and MAX_HEADER_LIST_SIZE, is the largest 32-bit value, which means the
 * same.
 */
public record Http2Settings(long headerTableSize, boolean enablePush, long maxConcurrentStreams, int initialWindowSize,
        int maxFrameSize, long maxHeaderListSize) {

    public static final int HEADER_TABLE_SIZE = 0x1;
    public static final int ENABLE_PUSH = 0x2;
    public static final int MAX_CONCURRENT_STREAMS = 0x3;
    public static final int INITIAL_WINDOW_SIZE = 0x4;
    public static final int MAX_FRAME_SIZE = 0x5;
    public static final int MAX_HEADER_LIST_SIZE = 0x6;

    /** The largest flow-control window (§6.9.1), hence the largest INITIAL_WINDOW_SIZE. */
    public static final int MAX_WINDOW_SIZE = Integer.MAX_VALUE;

    /** The smallest MAX_FRAME_SIZE, also its initial value: every endpoint takes frames this large. */
    public static final int MIN_MAX_FRAME_SIZE = 16_384;

    /** The largest MAX_FRAME_SIZE: a frame's length has 24 bits. */
    public static final int MAX_MAX_FRAME_SIZE = 16_777_215;

    private static final long UNLIMITED = 0xffff_ffffL;

    /** The values in force before any SETTINGS frame. */
    public static final Http2Settings DEFAULTS = new Http2Settings(4096, true, UNLIMITED, 65_535, MIN_MAX_FRAME_SIZE, UNLIMITED);

    /** One setting of a SETTINGS frame (§6.5.1), its value checked against the limits of §6.5.2. */
    public record Setting(int identifier, long value) {
    }

    public Http2Settings {
        if (!isUnsigned32(headerTableSize) || !isUnsigned32(maxConcurrentStreams) || !isUnsigned32(maxHeaderListSize)
                || initialWindowSize < 0 || maxFrameSize < MIN_MAX_FRAME_SIZE || maxFrameSize > MAX_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("Invalid HTTP/2 settings " + headerTableSize + "/" + maxConcurrentStreams + "/"
                    + initialWindowSize + "/" + maxFrameSize + "/" + maxHeaderListSize);
        }
    }

    /**
     * The settings of a SETTINGS payload, in order (a repeated one counts last). Unknown
     * identifiers are dropped (§6.5.2); values outside their range are the connection errors of
     * §6.5.2.
     */
    public static List<Setting> parse(ByteBuffer payload) throws Http2Exception {
        if (payload.remaining() % 6 != 0) {
            throw Http2Exception.connectionError(ErrorCode.FRAME_SIZE_ERROR, "SETTINGS payload of " + payload.remaining()
                    + " bytes is not a multiple of 6");
        }
        ByteBuffer entries = payload.slice(); // big-endian, whatever the caller's order
        List<Setting> settings = new ArrayList<>(entries.remaining() / 6);
        for (int at = 0; at < entries.limit(); at += 6) {
            int identifier = entries.getShort(at) & 0xffff;
            long value = entries.getInt(at + 2) & UNLIMITED;
            switch (identifier) {
                case ENABLE_PUSH -> require(value <= 1, ErrorCode.PROTOCOL_ERROR, "ENABLE_PUSH", value);
                case INITIAL_WINDOW_SIZE -> require(value <= MAX_WINDOW_SIZE, ErrorCode.FLOW_CONTROL_ERROR, "INITIAL_WINDOW_SIZE", value);
                case MAX_FRAME_SIZE -> require(value >= MIN_MAX_FRAME_SIZE && value <= MAX_MAX_FRAME_SIZE, ErrorCode.PROTOCOL_ERROR,
                        "MAX_FRAME_SIZE", value);
                case HEADER_TABLE_SIZE, MAX_CONCURRENT_STREAMS, MAX_HEADER_LIST_SIZE -> {
                }
                default -> {
                    continue;
                }
            }
            settings.add(new Setting(identifier, value));
        }
        payload.position(payload.limit());
        return settings;
    }

    /**
     * The settings of an h2c upgrade request's {@code HTTP2-Settings} header (RFC 7540 §3.2.1): a
     * SETTINGS payload in base64url, applied to the defaults. Whole 6-byte entries never need
     * base64 padding, so whether a client leaves it off, as the RFC asks, makes no difference.
     */
    public static Http2Settings fromUpgradeHeader(String value) throws Http2Exception {
        byte[] payload;
        try {
            payload = Base64.getUrlDecoder().decode(value.strip());
        } catch (IllegalArgumentException e) {
            throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR, "HTTP2-Settings is not base64url");
        }
        return DEFAULTS.with(parse(ByteBuffer.wrap(payload)));
    }

    /** These settings changed by those of a SETTINGS frame, in order. */
    public Http2Settings with(List<Setting> settings) {
        long headerTable = headerTableSize;
        boolean push = enablePush;
        long concurrentStreams = maxConcurrentStreams;
        int initialWindow = initialWindowSize;
        int frameSize = maxFrameSize;
        long headerList = maxHeaderListSize;
        for (Setting setting : settings) {
            long value = setting.value();
            switch (setting.identifier()) {
                case HEADER_TABLE_SIZE -> headerTable = value;
                case ENABLE_PUSH -> push = value == 1;
                case MAX_CONCURRENT_STREAMS -> concurrentStreams = value;
                case INITIAL_WINDOW_SIZE -> initialWindow = (int) value;
                case MAX_FRAME_SIZE -> frameSize = (int) value;
                case MAX_HEADER_LIST_SIZE -> headerList = value;
                default -> throw new IllegalArgumentException("Unknown setting " + setting);
            }
        }
        return new Http2Settings(headerTable, push, concurrentStreams, initialWindow, frameSize, headerList);
    }

    /** The settings that differ from {@link #DEFAULTS}: what a SETTINGS frame carries to declare these. */
    public List<Setting> changedFromDefaults() {
        List<Setting> changed = new ArrayList<>(6);
        addIfChanged(changed, HEADER_TABLE_SIZE, headerTableSize, DEFAULTS.headerTableSize);
        addIfChanged(changed, ENABLE_PUSH, enablePush ? 1 : 0, 1);
        addIfChanged(changed, MAX_CONCURRENT_STREAMS, maxConcurrentStreams, DEFAULTS.maxConcurrentStreams);
        addIfChanged(changed, INITIAL_WINDOW_SIZE, initialWindowSize, DEFAULTS.initialWindowSize);
        addIfChanged(changed, MAX_FRAME_SIZE, maxFrameSize, DEFAULTS.maxFrameSize);
        addIfChanged(changed, MAX_HEADER_LIST_SIZE, maxHeaderListSize, DEFAULTS.maxHeaderListSize);
        return changed;
    }

    private static void addIfChanged(List<Setting> changed, int identifier, long value, long initial) {
        if (value != initial) {
            changed.add(new Setting(identifier, value));
        }
    }

    private static void require(boolean valid, ErrorCode error, String name, long value) throws Http2Exception {
        if (!valid) {
            throw Http2Exception.connectionError(error, "Invalid " + name + " " + value);
        }
    }

    private static boolean isUnsigned32(long value) {
        return value >= 0 && value <= UNLIMITED;
    }
}
