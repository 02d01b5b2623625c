package dev.pier.http2;

import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpStatus;
import dev.pier.http2.hpack.HpackEncoder;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Encodes a response's header block: {@code :status}, {@code date} and {@code server} as HTTP/1.1
 * states them, the handler's fields in lower case without the connection-specific ones RFC 9113
 * §8.2.2 forbids, and {@code content-length} as the session knows it. One per session, over its
 * HPACK encoder; the loop's thread only.
 */
public final class ResponseFields {

    /** Handlers' names seen so far, lower-cased once: most responses repeat a few dozen names. */
    private static final int MAX_NAMES = 256;

    private final HpackEncoder encoder;
    private final Map<String, String> lowerCase = new HashMap<>();

    public ResponseFields(HpackEncoder encoder) {
        this.encoder = encoder;
    }

    /**
     * The most octets {@link #encodeHead} writes for these fields, to size the buffer.
     */
    public static int maxHeadLength(HttpHeaders fields, String serverName, String date) {
        int length = HpackEncoder.MAX_BLOCK_START_LENGTH + HpackEncoder.MAX_STATUS_LENGTH
                + HpackEncoder.maxEncodedLength("server", serverName) + HpackEncoder.maxEncodedLength("date", date)
                + HpackEncoder.maxEncodedLength("content-length", "9223372036854775807");
        return length + maxFieldsLength(fields);
    }

    public static int maxFieldsLength(HttpHeaders fields) {
        int length = HpackEncoder.MAX_BLOCK_START_LENGTH;
        for (int i = 0; i < fields.size(); i++) {
            length += HpackEncoder.maxEncodedLength(fields.name(i), fields.value(i));
        }
        return length;
    }

    /**
     * @param contentLength stated when not negative and the status allows content: the body's length, or for HEAD
     *     what GET would send
     */
    public void encodeHead(int status, HttpHeaders fields, long contentLength, String serverName, String date, ByteBuffer out) {
        encoder.beginBlock(out);
        encoder.encodeStatus(status, out);
        encoder.encode("date", date, out);
        encoder.encode("server", serverName, out);
        encodeFields(fields, out);
        if (contentLength >= 0 && !HttpStatus.forbidsContent(status)) {
            encoder.encode("content-length", Long.toString(contentLength), out);
        }
    }

    /** A block of trailer fields, or of an interim response's fields after its status. */
    public void encodeTrailers(HttpHeaders fields, ByteBuffer out) {
        encoder.beginBlock(out);
        encodeFields(fields, out);
    }

    /** An interim response: {@code 100 Continue}. */
    public void encodeInterim(int status, ByteBuffer out) {
        encoder.beginBlock(out);
        encoder.encodeStatus(status, out);
    }

    private void encodeFields(HttpHeaders fields, ByteBuffer out) {
        for (int i = 0; i < fields.size(); i++) {
            String name = lowerCase(fields.name(i));
            if (isSent(name)) {
                encoder.encode(name, fields.value(i), out);
            }
        }
    }

    /** The session states the length itself; the rest belong to HTTP/1.1 connections. */
    private static boolean isSent(String name) {
        return switch (name) {
            case "content-length", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" -> false;
            default -> true;
        };
    }

    private String lowerCase(String name) {
        String known = lowerCase.get(name);
        if (known != null) {
            return known;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lowerCase.size() >= MAX_NAMES) {
            lowerCase.clear();
        }
        lowerCase.put(name, lower);
        return lower;
    }
}
