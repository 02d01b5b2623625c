package dev.pier.multipart;

import dev.pier.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads a complete part head, its header fields up to the empty line, into a {@link Part}. Lines
 * end in CRLF ({@link MultipartParser} has refused a bare CR or LF already). Names are tokens;
 * values are UTF-8, as browsers send non-ASCII filenames raw (RFC 7578 §5.1.3), without control
 * characters but HTAB; no obs-fold.
 */
final class PartHead {

    private PartHead() {
    }

    /** Parses the head in {@code head[0, length)}, which ends with CRLF CRLF, or with CRLF alone when it has no field. */
    static Part parse(byte[] head, int length) {
        HttpHeaders.Builder fields = HttpHeaders.builder();
        for (int start = 0; start < length; ) {
            int lineEnd = indexOf(head, start, length, (byte) '\r');
            if (lineEnd == start) {
                break;
            }
            if (head[start] == ' ' || head[start] == '\t') {
                throw MultipartException.malformed("Obsolete line folding in part head");
            }
            int colon = indexOf(head, start, lineEnd, (byte) ':');
            if (colon == lineEnd || !isToken(head, start, colon)) {
                throw MultipartException.malformed("Malformed header field in part head");
            }
            int valueStart = colon + 1;
            int valueEnd = lineEnd;
            while (valueStart < valueEnd && (head[valueStart] == ' ' || head[valueStart] == '\t')) {
                valueStart++;
            }
            while (valueEnd > valueStart && (head[valueEnd - 1] == ' ' || head[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            for (int i = valueStart; i < valueEnd; i++) {
                if ((head[i] >= 0 && head[i] < 0x20 && head[i] != '\t') || head[i] == 0x7f) {
                    throw MultipartException.malformed("Control character in part head");
                }
            }
            fields.add(new String(head, start, colon - start, StandardCharsets.US_ASCII),
                    new String(head, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8));
            start = lineEnd + 2;
        }
        return part(fields.build());
    }

    private static Part part(HttpHeaders fields) {
        List<String> dispositions = fields.all("Content-Disposition");
        if (dispositions.isEmpty()) {
            throw MultipartException.malformed("Part without Content-Disposition");
        }
        if (dispositions.size() > 1) {
            throw MultipartException.malformed("More than one Content-Disposition in a part");
        }
        FieldParameters disposition = FieldParameters.parse(dispositions.get(0), "Content-Disposition");
        if (!disposition.main().equalsIgnoreCase("form-data")) {
            throw MultipartException.malformed("Content-Disposition is not form-data");
        }
        String name = disposition.parameter("name");
        if (name == null) {
            throw MultipartException.malformed("Part without a name");
        }
        String extended = disposition.parameter("filename*");
        String filename = extended != null ? extendedValue(extended) : disposition.parameter("filename");
        String contentType = fields.first("Content-Type");
        return new Part(name, filename, contentType == null ? Part.DEFAULT_CONTENT_TYPE : contentType, fields);
    }

    /**
     * Decodes an RFC 8187 ext-value, {@code charset "'" [ language ] "'" value-chars}, in UTF-8 or
     * ISO-8859-1, the two charsets it names. Invalid UTF-8 becomes U+FFFD.
     */
    static String extendedValue(String value) {
        int first = value.indexOf('\'');
        int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
        if (second < 0) {
            throw MultipartException.malformed("Malformed filename*");
        }
        String charsetName = value.substring(0, first);
        Charset charset;
        if (charsetName.equalsIgnoreCase("UTF-8")) {
            charset = StandardCharsets.UTF_8;
        } else if (charsetName.equalsIgnoreCase("ISO-8859-1")) {
            charset = StandardCharsets.ISO_8859_1;
        } else {
            throw MultipartException.malformed("Unsupported charset in filename*");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = second + 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length() && hex(value.charAt(i + 1)) >= 0 && hex(value.charAt(i + 2)) >= 0) {
                bytes.write(hex(value.charAt(i + 1)) << 4 | hex(value.charAt(i + 2)));
                i += 2;
            } else if (isAttrChar(c)) {
                bytes.write(c);
            } else {
                throw MultipartException.malformed("Malformed filename*");
            }
        }
        return bytes.toString(charset);
    }

    /** The value of an ASCII hex digit, or -1. */
    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /** RFC 8187 attr-char: a token character but {@code *'%}. */
    private static boolean isAttrChar(char c) {
        return c != '*' && c != '\'' && c != '%' && FieldParameters.isTokenChar(c);
    }

    private static boolean isToken(byte[] bytes, int from, int to) {
        if (from == to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0 || !FieldParameters.isTokenChar((char) bytes[i])) {
                return false;
            }
        }
        return true;
    }

    /** The index of {@code wanted} in {@code [from, to)}, or {@code to}. */
    private static int indexOf(byte[] bytes, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return to;
    }
}
