package dev.pier.files;

import java.time.Duration;
import java.util.Map;
import lombok.With;

/**
 * How the static file handler answers, free of Spring: {@code dev.pier.config} maps
 * {@code pier.*} onto it, and tests build it directly.
 *
 * @param directoryListing whether a folder without {@code index.html} lists its contents
 * @param fallback a file of the root served with 200 for GET and HEAD of missing paths whose last
 *     segment has no extension (a single-page app's routes), or {@code null} for none
 * @param errorPages a page of the root per error status, served with that status
 * @param cacheControl {@code Cache-Control} per path pattern
 * @param securityHeaders fields added to every response, such as {@code X-Content-Type-Options: nosniff}
 * @param compression content codings
 * @param maxRanges the most ranges one request may ask for; 0 turns range requests off
 * @param cors cross-origin access
 * @param fileCache what is remembered of files between requests
 * @param tryFiles what a path is looked up as, in order, and what answers when nothing is found;
 *     {@code null} for {@link TryFiles#DEFAULT} ending with {@code fallback} when it is set
 * @param trailingSlash which of {@code /docs} and {@code /docs/} is a page's address
 */
@With
public record StaticFileSettings(boolean directoryListing, String fallback, Map<Integer, String> errorPages, CacheControlRules cacheControl,
        Map<String, String> securityHeaders, Compression compression, int maxRanges, CorsPolicy cors, FileCache fileCache,
        TryFiles tryFiles, TrailingSlash trailingSlash) {

    /** The defaults of {@code pier.*}: no listing, no fallback, nosniff, compression on, 16 ranges, no CORS, folders get their slash. */
    public static final StaticFileSettings DEFAULTS = new StaticFileSettings(false, null, Map.of(), CacheControlRules.NONE,
            Map.of("X-Content-Type-Options", "nosniff"), Compression.DEFAULTS, 16, CorsPolicy.DISABLED, FileCache.DEFAULTS,
            null, TrailingSlash.ADD);

    public StaticFileSettings {
        errorPages = Map.copyOf(errorPages);
        securityHeaders = Map.copyOf(securityHeaders);
        if (maxRanges < 0) {
            throw new IllegalArgumentException("maxRanges must not be negative");
        }
        if (fallback != null && !fallback.startsWith("/")) {
            throw new IllegalArgumentException("The fallback must be a path in the root, starting with /: " + fallback);
        }
        if (fallback != null && tryFiles != null && !fallback.equals(tryFiles.fallback())) {
            throw new IllegalArgumentException("The fallback " + fallback + " is not the last entry of the try-files " + tryFiles
                    + ": set one, or both to the same path.");
        }
        trailingSlash = trailingSlash == null ? TrailingSlash.ADD : trailingSlash;
    }

    /** What the handler tries: {@link #tryFiles} as set, else the default ending with {@link #fallback}. */
    public TryFiles effectiveTryFiles() {
        return tryFiles != null ? tryFiles : fallback != null ? TryFiles.DEFAULT.withFallback(fallback) : TryFiles.DEFAULT;
    }

    /**
     * @param enabled whether compressible files are gzipped on the fly
     * @param precompressed whether {@code file.br} and {@code file.gz} beside a file are served in its place
     * @param minSize smallest file to gzip on the fly, in bytes: below it gzip's overhead outweighs the saving
     * @param maxSize largest file to gzip on the fly, in bytes: compression runs on the event loop
     * @param cacheSize most bytes of gzipped files kept in memory
     */
    @With
    public record Compression(boolean enabled, boolean precompressed, long minSize, long maxSize, long cacheSize) {

        public static final Compression DEFAULTS = new Compression(true, true, 1024, 1024 * 1024, 32 * 1024 * 1024);

        public Compression {
            if (minSize < 0 || maxSize < 0 || cacheSize < 0) {
                throw new IllegalArgumentException("Compression sizes must not be negative");
            }
        }
    }

    /**
     * @param paths request paths remembered with the file they resolved to
     * @param revalidateAfter how long a remembered path is trusted before it is resolved again; zero
     *     resolves every request
     * @param openFiles most larger files kept open between requests, each for at most {@code revalidateAfter}
     * @param maxFileSize largest file whose bytes are held in memory and sent in one write with the head
     * @param size most bytes of files held in memory
     */
    @With
    public record FileCache(int paths, Duration revalidateAfter, int openFiles, long maxFileSize, long size) {

        public static final FileCache DEFAULTS = new FileCache(10_000, Duration.ofSeconds(1), 1_000, 32 * 1024, 64 * 1024 * 1024);

        public FileCache {
            if (paths < 0 || openFiles < 0 || maxFileSize < 0 || size < 0) {
                throw new IllegalArgumentException("File cache sizes must not be negative");
            }
            if (revalidateAfter.isNegative()) {
                throw new IllegalArgumentException("revalidateAfter must not be negative");
            }
        }
    }
}
