package dev.pier.http;

import java.nio.charset.StandardCharsets;

/** Encodes the status line and header fields of a response; pure, so tests read its bytes directly. */
public final class ResponseHead {

    private ResponseHead() {
    }

    /**
     * @param contentLength the value of {@code Content-Length}, which the connection knows best: the
     *     body's length, or for HEAD what GET would send; ignored for statuses without content
     * @param keepAlive whether the connection stays open; otherwise {@code Connection: close}
     * @param requestVersion the client's version: an HTTP/1.0 client is told {@code keep-alive} explicitly
     */
    public static byte[] encode(HttpResponse response, long contentLength, boolean keepAlive, HttpVersion requestVersion, String serverName, String date) {
        int status = response.status();
        StringBuilder head = new StringBuilder(256)
                .append("HTTP/1.1 ").append(status).append(' ').append(HttpStatus.reasonPhrase(status)).append("\r\n")
                .append("Date: ").append(date).append("\r\n")
                .append("Server: ").append(serverName).append("\r\n");
        response.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Connection")) {
                head.append(name).append(": ").append(value).append("\r\n");
            }
        });
        if (!HttpStatus.forbidsContent(status)) {
            head.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        } else if (requestVersion == HttpVersion.HTTP_1_0) {
            head.append("Connection: keep-alive\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
