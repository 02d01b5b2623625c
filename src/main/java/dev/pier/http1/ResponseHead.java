package dev.pier.http1;

import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpResponse;
import dev.pier.http.HttpStatus;
import dev.pier.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the status line and header fields of a response; pure, so tests read its bytes directly.
 * Measures first, then writes into one array of the exact size: no builder, no intermediate String,
 * as this runs for every response.
 */
public final class ResponseHead {

    private static final int CRLF = 2;
    private static final byte[] VERSION = latin1("HTTP/1.1 ");
    private static final byte[] DATE = latin1("Date: ");
    private static final byte[] SERVER = latin1("Server: ");
    private static final byte[] CONTENT_LENGTH = latin1("Content-Length: ");
    private static final byte[] TRANSFER_ENCODING_CHUNKED = latin1("Transfer-Encoding: chunked\r\n");

    /** A {@code contentLength} for a body sent in chunks, of a length known only at its end. */
    public static final long CHUNKED = -2;
    /** A {@code contentLength} for a body that ends when the connection closes (HTTP/1.0 of unknown length). */
    public static final long UNTIL_CLOSE = -1;
    private static final byte[] CLOSE = latin1("Connection: close\r\n");
    private static final byte[] KEEP_ALIVE = latin1("Connection: keep-alive\r\n");

    private ResponseHead() {
    }

    /**
     * @param contentLength the value of {@code Content-Length}, which the connection knows best: the
     *     body's length, or for HEAD what GET would send; {@link #CHUNKED} or {@link #UNTIL_CLOSE}
     *     for a body of unknown length; ignored for statuses without content
     * @param keepAlive whether the connection stays open; otherwise {@code Connection: close}
     * @param requestVersion the client's version: an HTTP/1.0 client is told {@code keep-alive} explicitly
     */
    public static byte[] encode(HttpResponse response, long contentLength, boolean keepAlive, HttpVersion requestVersion, String serverName, String date) {
        int status = response.status();
        String reason = HttpStatus.reasonPhrase(status);
        HttpHeaders headers = response.headers();
        boolean hasContent = !HttpStatus.forbidsContent(status);
        boolean statesLength = hasContent && contentLength >= 0;
        boolean chunked = hasContent && contentLength == CHUNKED;
        String length = statesLength ? Long.toString(contentLength) : null;
        byte[] connection = !keepAlive ? CLOSE : requestVersion == HttpVersion.HTTP_1_0 ? KEEP_ALIVE : null;

        int size = VERSION.length + 4 + reason.length() + CRLF + DATE.length + date.length() + CRLF + SERVER.length + serverName.length() + CRLF;
        for (int i = 0; i < headers.size(); i++) {
            if (isWritten(headers.name(i))) {
                size += headers.name(i).length() + 2 + headers.value(i).length() + CRLF;
            }
        }
        size += (statesLength ? CONTENT_LENGTH.length + length.length() + CRLF : 0) + (chunked ? TRANSFER_ENCODING_CHUNKED.length : 0)
                + (connection != null ? connection.length : 0) + CRLF;

        byte[] head = new byte[size];
        int at = put(head, 0, VERSION);
        head[at++] = (byte) ('0' + status / 100);
        head[at++] = (byte) ('0' + status / 10 % 10);
        head[at++] = (byte) ('0' + status % 10);
        head[at++] = ' ';
        at = crlf(head, put(head, at, reason));
        at = crlf(head, put(head, put(head, at, DATE), date));
        at = crlf(head, put(head, put(head, at, SERVER), serverName));
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (isWritten(name)) {
                at = put(head, at, name);
                head[at++] = ':';
                head[at++] = ' ';
                at = crlf(head, put(head, at, headers.value(i)));
            }
        }
        if (statesLength) {
            at = crlf(head, put(head, put(head, at, CONTENT_LENGTH), length));
        }
        if (chunked) {
            at = put(head, at, TRANSFER_ENCODING_CHUNKED);
        }
        if (connection != null) {
            at = put(head, at, connection);
        }
        crlf(head, at);
        return head;
    }

    /** Fields the connection states itself, from what it knows, whatever the handler said. */
    private static boolean isWritten(String name) {
        return !name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Connection") && !name.equalsIgnoreCase("Transfer-Encoding");
    }

    private static int put(byte[] head, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, head, at, bytes.length);
        return at + bytes.length;
    }

    /** As ISO-8859-1 encodes it: a character beyond it becomes {@code ?}. */
    private static int put(byte[] head, int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            head[at++] = c <= 0xFF ? (byte) c : (byte) '?';
        }
        return at;
    }

    private static int crlf(byte[] head, int at) {
        head[at] = '\r';
        head[at + 1] = '\n';
        return at + CRLF;
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
