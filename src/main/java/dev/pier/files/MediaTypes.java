package dev.pier.files;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code Content-Type} of a file from its extension, ignoring case. Textual types carry
 * {@code charset=utf-8}, the encoding of nearly every site, so browsers never have to guess; the
 * full values are built once, so a lookup allocates at most the extension.
 *
 * <p>The table also says which types are worth compressing: text, and the binary formats that
 * are not compressed already (WebAssembly, TrueType and OpenType fonts). Images other than SVG,
 * WOFF fonts, audio, video and archives are compressed by their own format; gzip would only add
 * its header.
 */
public final class MediaTypes {

    /** The type of anything not in the table: browsers download it rather than render it. */
    public static final String DEFAULT = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = new HashMap<>(128);
    private static final Set<String> COMPRESSIBLE = new HashSet<>(64);

    static {
        // Documents and code
        text("text/html", "html", "htm");
        text("application/xhtml+xml", "xhtml");
        text("text/css", "css");
        text("text/javascript", "js", "mjs", "cjs");
        text("application/json", "json", "map");
        text("application/ld+json", "jsonld");
        text("application/geo+json", "geojson");
        text("application/manifest+json", "webmanifest");
        text("application/xml", "xml", "xsl");
        text("application/rss+xml", "rss");
        text("application/atom+xml", "atom");
        text("application/yaml", "yaml", "yml");
        text("text/plain", "txt", "text", "log");
        text("text/markdown", "md", "markdown");
        text("text/csv", "csv");
        text("text/tab-separated-values", "tsv");
        text("text/calendar", "ics");
        text("text/vcard", "vcf");
        text("text/vtt", "vtt");
        binary("application/pdf", "pdf");
        compressible("application/wasm", "wasm");
        binary("application/epub+zip", "epub");
        // Images
        text("image/svg+xml", "svg");
        binary("image/png", "png");
        binary("image/apng", "apng");
        binary("image/jpeg", "jpg", "jpeg", "jfif");
        binary("image/gif", "gif");
        binary("image/webp", "webp");
        binary("image/avif", "avif");
        binary("image/x-icon", "ico");
        binary("image/bmp", "bmp");
        binary("image/tiff", "tif", "tiff");
        // Fonts
        binary("font/woff", "woff");
        binary("font/woff2", "woff2");
        compressible("font/ttf", "ttf");
        compressible("font/otf", "otf");
        compressible("font/collection", "ttc");
        compressible("application/vnd.ms-fontobject", "eot");
        // Audio and video
        binary("video/mp4", "mp4", "m4v");
        binary("video/webm", "webm");
        binary("video/ogg", "ogv");
        binary("video/quicktime", "mov");
        binary("audio/ogg", "ogg", "oga", "opus");
        binary("audio/mpeg", "mp3");
        binary("audio/wav", "wav");
        binary("audio/mp4", "m4a");
        binary("audio/aac", "aac");
        binary("audio/flac", "flac");
        // Archives
        binary("application/zip", "zip");
        binary("application/gzip", "gz", "tgz");
        binary("application/x-brotli", "br");
        binary("application/zstd", "zst");
        binary("application/x-tar", "tar");
        binary("application/x-bzip2", "bz2");
        binary("application/x-xz", "xz");
        binary("application/x-7z-compressed", "7z");
        binary("application/java-archive", "jar");
    }

    private MediaTypes() {
    }

    /** The type for a file name such as {@code site.CSS}; {@link #DEFAULT} without a known extension. */
    public static String forFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        // A leading dot starts a hidden name (".env"), not an extension.
        if (dot <= 0 || dot == fileName.length() - 1) {
            return DEFAULT;
        }
        String type = BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type != null ? type : DEFAULT;
    }

    /**
     * Whether a {@code Content-Type} this class gave is worth compressing with gzip; false for
     * {@link #DEFAULT}, since nothing is known of such a file.
     */
    public static boolean isCompressible(String contentType) {
        return COMPRESSIBLE.contains(contentType);
    }

    private static void text(String type, String... extensions) {
        put(type + ";charset=utf-8", extensions);
        COMPRESSIBLE.add(type + ";charset=utf-8");
    }

    /** A binary format that is not compressed itself. */
    private static void compressible(String type, String... extensions) {
        put(type, extensions);
        COMPRESSIBLE.add(type);
    }

    private static void binary(String type, String... extensions) {
        put(type, extensions);
    }

    private static void put(String type, String... extensions) {
        for (String extension : extensions) {
            if (BY_EXTENSION.put(extension, type) != null) {
                throw new IllegalStateException("Extension " + extension + " listed twice");
            }
        }
    }
}
