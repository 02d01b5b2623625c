package dev.pier.test;

import dev.pier.http2.ErrorCode;
import dev.pier.http2.Http2Settings;
import dev.pier.http2.hpack.HeaderField;
import java.util.List;

/**
 * What {@link H2Peer} read from the server, one record per frame in the order of the wire: a
 * header block whole, however many CONTINUATION frames it took, and a DATA frame whole. Two
 * markers end the list: {@link ParseError} when the server's bytes broke the framing or HPACK,
 * and {@link Closed} when the server closed the connection.
 */
public sealed interface H2Frame permits H2Frame.Data, H2Frame.Headers, H2Frame.Priority, H2Frame.RstStream, H2Frame.Settings,
        H2Frame.Ping, H2Frame.GoAway, H2Frame.WindowUpdate, H2Frame.ParseError, H2Frame.Closed {

    /**
     * A DATA frame: its data, padding removed, and {@code length}, the whole payload with pad
     * length and padding, which is what flow control counts (RFC 9113 §6.9.1).
     */
    record Data(int streamId, byte[] data, boolean endStream, int length) implements H2Frame {

        public Data(int streamId, byte[] data, boolean endStream) {
            this(streamId, data, endStream, data.length);
        }

        @Override
        public String toString() {
            return "Data[stream " + streamId + ", " + data.length + " bytes" + (length != data.length ? " (" + length + " with padding)" : "")
                    + (endStream ? ", END_STREAM" : "") + "]";
        }
    }

    /** A header block (HEADERS and its CONTINUATION frames), decoded: the fields in order, pseudo-headers included. */
    record Headers(int streamId, List<HeaderField> fields, boolean endStream) implements H2Frame {

        /** The first value of the field, or null. Names are compared as sent: HTTP/2 names are lower case. */
        public String get(String name) {
            for (HeaderField field : fields) {
                if (field.name().equals(name)) {
                    return field.value();
                }
            }
            return null;
        }

        /** All values of the field, in order. */
        public List<String> all(String name) {
            return fields.stream().filter(field -> field.name().equals(name)).map(HeaderField::value).toList();
        }

        /** The {@code :status}, or -1 for a block without one (trailers). */
        public int status() {
            String status = get(":status");
            return status == null ? -1 : Integer.parseInt(status);
        }
    }

    /** A PRIORITY frame; the codec reports none of its fields, as RFC 9113 deprecates them. */
    record Priority(int streamId) implements H2Frame {
    }

    record RstStream(int streamId, long errorCode) implements H2Frame {

        public ErrorCode error() {
            return ErrorCode.of(errorCode);
        }
    }

    /** A SETTINGS frame with its settings in order, or the ACK of ours (no settings). */
    record Settings(List<Http2Settings.Setting> settings, boolean ack) implements H2Frame {
    }

    record Ping(long data, boolean ack) implements H2Frame {
    }

    /** A GOAWAY; {@code debug} is its debug data as ISO-8859-1, at most the parser's first 256 bytes. */
    record GoAway(int lastStreamId, long errorCode, String debug) implements H2Frame {

        public ErrorCode error() {
            return ErrorCode.of(errorCode);
        }
    }

    record WindowUpdate(int streamId, int increment) implements H2Frame {
    }

    /**
     * The server sent something malformed, as the codec judges a peer: a stream error
     * ({@code streamId} above 0), after which frames go on, or a connection error ({@code streamId}
     * 0), after which nothing more is parsed; an HPACK block that cannot be decoded is a connection
     * error with {@link ErrorCode#COMPRESSION_ERROR}.
     */
    record ParseError(int streamId, ErrorCode error, String message) implements H2Frame {

        public boolean isConnectionError() {
            return streamId == 0;
        }
    }

    /**
     * The server closed the connection: {@code cause} is null for an orderly end of stream, else
     * what the read failed with (a reset). Always the last frame; reading on returns it again.
     */
    record Closed(String cause) implements H2Frame {

        public boolean reset() {
            return cause != null;
        }
    }
}
