package dev.pier.files;

/**
 * What the file handler derives from one resolution of a file, worked out on first use and kept
 * with it: {@link ResolvedPaths} hands out the same resolution for up to
 * {@code pier.file-cache.revalidate-after}, so a repeated request costs no type lookup, no tag or
 * date formatting and no {@code stat} for precompressed siblings, and what it says changes exactly
 * when the resolution does. Races are benign: the values are immutable and every thread derives
 * the same ones.
 */
final class Derived {

    /** Marks a coding looked for and not found beside the file. */
    static final Representation NO_SIBLING = new Representation(null, ContentCoding.IDENTITY, 0, 0, 0, "", "", false);

    String contentType;
    Representation identity;
    Representation gzipOnTheFly;
    /** By coding: {@code null} until looked for, then the sibling or {@link #NO_SIBLING}. */
    final Representation[] siblings = new Representation[ContentCoding.values().length];
}
