package dev.pier.http2;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes down what the parser reports, one line per event. Consecutive slices of one payload are
 * merged into one line, so that the same bytes fed in different pieces read the same; how many
 * slices there were is counted apart.
 */
class FrameRecorder implements FrameListener {

    private final List<String> events = new ArrayList<>();
    private int slices;

    List<String> events() {
        return events;
    }

    int slices() {
        return slices;
    }

    void add(String event) {
        events.add(event);
    }

    @Override
    public void onDataStart(int streamId, int length, int dataLength) {
        add("DATA " + streamId + " length=" + length + " data=" + dataLength);
    }

    @Override
    public void onData(int streamId, ByteBuffer data) {
        slice("data " + streamId + " ", data);
    }

    @Override
    public void onDataEnd(int streamId, boolean endStream) {
        add("DATA end " + streamId + (endStream ? " END_STREAM" : ""));
    }

    @Override
    public void onHeadersStart(int streamId, boolean endStream) {
        add("HEADERS " + streamId + (endStream ? " END_STREAM" : ""));
    }

    @Override
    public void onContinuation(int streamId) {
        add("CONTINUATION " + streamId);
    }

    @Override
    public void onHeaderBlockFragment(int streamId, ByteBuffer fragment) {
        slice("fragment " + streamId + " ", fragment);
    }

    @Override
    public void onHeadersEnd(int streamId) {
        add("END_HEADERS " + streamId);
    }

    @Override
    public void onPriority(int streamId) {
        add("PRIORITY " + streamId);
    }

    @Override
    public void onRstStream(int streamId, long errorCode) {
        add("RST_STREAM " + streamId + " " + errorCode);
    }

    @Override
    public void onSettings(List<Http2Settings.Setting> settings) {
        add("SETTINGS " + settings);
    }

    @Override
    public void onSettingsAck() {
        add("SETTINGS ACK");
    }

    @Override
    public void onPing(long data, boolean ack) {
        add("PING " + (ack ? "ACK " : "") + Long.toHexString(data));
    }

    @Override
    public void onGoAway(int lastStreamId, long errorCode, ByteBuffer debugData) {
        add("GOAWAY " + lastStreamId + " " + errorCode + " " + show(debugData));
    }

    @Override
    public void onWindowUpdate(int streamId, int increment) {
        add("WINDOW_UPDATE " + streamId + " " + increment);
    }

    private void slice(String prefix, ByteBuffer bytes) {
        if (!bytes.hasRemaining()) {
            throw new AssertionError(prefix + "handed out an empty slice");
        }
        slices++;
        int last = events.size() - 1;
        if (last >= 0 && events.get(last).startsWith(prefix)) {
            events.set(last, events.get(last) + show(bytes));
        } else {
            add(prefix + show(bytes));
        }
    }

    /** The bytes, copied at once since the parser's slices do not outlive the call; non-ASCII ones in hex. */
    static String show(ByteBuffer bytes) {
        StringBuilder text = new StringBuilder();
        while (bytes.hasRemaining()) {
            int b = bytes.get() & 0xff;
            text.append(b > 0x20 && b < 0x7f ? String.valueOf((char) b) : "<" + Integer.toHexString(b) + ">");
        }
        return text.toString();
    }
}
