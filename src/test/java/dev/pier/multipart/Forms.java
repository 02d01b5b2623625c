package dev.pier.multipart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Forms as clients send them. */
final class Forms {

    /** What Chromium sends: "----WebKitFormBoundary" and 16 random letters and digits. */
    static final String CHROMIUM_BOUNDARY = "----WebKitFormBoundaryq3SbZ7xWv1nTt0Yr";

    /** A binary file's content that holds CR, LF, NUL, bytes over 0x7f and dashes. */
    static final byte[] PNG_LIKE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d, '-', '-', '\r', '\n', '-', (byte) 0xff};

    /**
     * A form as Chromium sends it: field names and values raw in UTF-8, a {@code "} in a filename
     * written as {@code %22}, a file input left empty as {@code filename=""} with
     * {@code application/octet-stream} and no content, CRLF everywhere, and a CRLF after the close
     * delimiter.
     */
    static byte[] chromiumForm() {
        String delimiter = "--" + CHROMIUM_BOUNDARY + "\r\n";
        return concat(
                delimiter,
                "Content-Disposition: form-data; name=\"title\"\r\n\r\n",
                "Grüße, \"Pier\"\r\n",
                delimiter,
                "Content-Disposition: form-data; name=\"avatar\"; filename=\"%22quoted%22 naïve.png\"\r\n",
                "Content-Type: image/png\r\n\r\n",
                PNG_LIKE,
                "\r\n",
                delimiter,
                "Content-Disposition: form-data; name=\"attachment\"; filename=\"\"\r\n",
                "Content-Type: application/octet-stream\r\n\r\n",
                "\r\n",
                "--" + CHROMIUM_BOUNDARY + "--\r\n");
    }

    /** What curl 7.88 sent for {@code curl -F name=Ada -F 'file=@somefile.txt;type=text/plain'}, captured from a socket. */
    static byte[] curlForm() {
        return resource("curl-form.bin");
    }

    /** Its Content-Type field's value, with the boundary. */
    static String curlContentType() {
        return new String(resource("curl-form.content-type"), StandardCharsets.US_ASCII);
    }

    /** Strings in UTF-8 and byte arrays, one after the other. */
    static byte[] concat(Object... pieces) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Object piece : pieces) {
            bytes.writeBytes(piece instanceof byte[] raw ? raw : piece.toString().getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static byte[] resource(String name) {
        try (InputStream in = Forms.class.getResourceAsStream("/multipart/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Forms() {
    }
}
