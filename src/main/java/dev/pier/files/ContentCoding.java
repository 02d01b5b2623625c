package dev.pier.files;

/**
 * The content codings Pier can send (RFC 9110 §8.4.1), in order of preference when a client likes
 * several equally: brotli is smaller than gzip, and either is smaller than the file itself.
 */
enum ContentCoding {

    /** Brotli, only ever from a precompressed {@code file.br}: the JDK has no brotli encoder. */
    BR("br", ".br"),
    /** gzip, from a precompressed {@code file.gz} or compressed on the fly. */
    GZIP("gzip", ".gz"),
    /** No coding: the file as it is. */
    IDENTITY("identity", "");

    private final String token;
    private final String fileSuffix;

    ContentCoding(String token, String fileSuffix) {
        this.token = token;
        this.fileSuffix = fileSuffix;
    }

    /** The name in {@code Accept-Encoding} and {@code Content-Encoding}. */
    String token() {
        return token;
    }

    /** What a precompressed sibling adds to the file's name: {@code app.js.br}. */
    String fileSuffix() {
        return fileSuffix;
    }
}
