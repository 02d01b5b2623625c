package dev.pier.multipart;

import dev.pier.http.HttpHeaders;
import java.util.Objects;

/**
 * The head of one part of a form (RFC 7578 §4).
 *
 * @param name the {@code name} parameter of its {@code Content-Disposition}
 * @param filename the filename as the client sent it: {@code filename*} (RFC 8187) when present,
 *     else {@code filename}; {@code null} for a field. Browsers write a {@code "} in it as {@code %22}
 *     and CR, LF as {@code %0D}, {@code %0A} (HTML's form-data encoding); that is kept as sent, as
 *     a literal {@code %22} could have been meant too. Never a path to use: see {@link #safeFilename()}
 * @param contentType its {@code Content-Type}, {@code text/plain} when absent (RFC 7578 §4.4)
 * @param headers all its header fields, values decoded as UTF-8 (RFC 7578 §5.1)
 */
public record Part(String name, String filename, String contentType, HttpHeaders headers) {

    public static final String DEFAULT_CONTENT_TYPE = "text/plain";

    /** What {@link #safeFilename()} answers when nothing of the filename is left. */
    public static final String FALLBACK_FILENAME = "upload";

    /** The longest name most file systems take, in UTF-8 bytes. */
    static final int MAX_FILENAME_BYTES = 255;

    public Part {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(headers, "headers");
    }

    /** Whether the part is a file: it has a filename, even an empty one (a file input left empty). */
    public boolean isFile() {
        return filename != null;
    }

    /**
     * The filename reduced to something safe to show, to log, or to name a file inside a folder the
     * application chose: only its last segment (after the last {@code /} or {@code \}), without
     * control characters, Unicode format characters (bidirectional overrides, zero-width marks),
     * {@code :}, leading dots and spaces, or trailing spaces; at most 255 bytes in UTF-8, cut
     * between characters. Never empty, {@code .} or {@code ..}: {@value #FALLBACK_FILENAME} instead.
     * Never a path to resolve as the client wants: two uploads may well share a name.
     */
    public String safeFilename() {
        String sent = filename == null ? "" : filename;
        String segment = sent.substring(Math.max(sent.lastIndexOf('/'), sent.lastIndexOf('\\')) + 1);
        StringBuilder kept = new StringBuilder(segment.length());
        segment.codePoints().filter(Part::isSafe).forEach(kept::appendCodePoint);
        int start = 0;
        while (start < kept.length() && (kept.charAt(start) == '.' || Character.isWhitespace(kept.charAt(start)))) {
            start++;
        }
        int end = kept.length();
        while (end > start && Character.isWhitespace(kept.charAt(end - 1))) {
            end--;
        }
        String safe = cutToUtf8Bytes(kept.substring(start, end), MAX_FILENAME_BYTES);
        return safe.isEmpty() ? FALLBACK_FILENAME : safe;
    }

    private static boolean isSafe(int codePoint) {
        int type = Character.getType(codePoint);
        return codePoint != ':' && !Character.isISOControl(codePoint) && type != Character.FORMAT && type != Character.SURROGATE;
    }

    /** The longest prefix that fits {@code max} bytes in UTF-8, never splitting a character. */
    private static String cutToUtf8Bytes(String text, int max) {
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            bytes += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes > max) {
                return text.substring(0, i);
            }
            i += Character.charCount(codePoint);
        }
        return text;
    }
}
