package dev.pier.files;

/**
 * What the static file handler keeps in memory, for metrics.
 *
 * @param hits small-file requests answered from memory
 * @param misses small-file requests that read the file (first request, changed file, or dropped)
 * @param bytes bytes of small files held
 * @param files small files held
 * @param gzipBytes bytes of gzipped forms held
 * @param openFiles larger files kept open between requests
 */
public record FileCacheStats(long hits, long misses, long bytes, int files, long gzipBytes, int openFiles) {
}
