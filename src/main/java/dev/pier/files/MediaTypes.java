package dev.pier.files;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code Content-Type} of a file from its extension, ignoring case. Textual types carry
 * {@code charset=utf-8}, the encoding of nearly every site, so browsers never have to guess; the
 * full values are built once, so a lookup allocates at most the extension.
 */
public final class MediaTypes {

    /** The type of anything not in the table: browsers download it rather than render it. */
    public static final String DEFAULT = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = new HashMap<>(128);

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
        binary("application/wasm", "wasm");
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
        binary("font/ttf", "ttf");
        binary("font/otf", "otf");
        binary("font/collection", "ttc");
        binary("application/vnd.ms-fontobject", "eot");
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

    private static void text(String type, String... extensions) {
        put(type + ";charset=utf-8", extensions);
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
