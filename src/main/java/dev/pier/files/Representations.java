package dev.pier.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Chooses which representation of a file answers, from the client's {@link AcceptEncoding}: for a
 * compressible type, the best acceptable coding available, trying a precompressed sibling
 * ({@code app.js.br}, {@code app.js.gz}) before gzip on the fly; otherwise, or when nothing the
 * client accepts is available, the file itself. That last case includes a client that refuses
 * identity too ({@code gzip;q=0, *;q=0}): RFC 9110 §12.5.3 lets a server answer without coding
 * rather than 406, which is what every browser copes with (httpwg/http-core#980).
 *
 * <p>Siblings are only looked for beside compressible files, so images and fonts cost no extra
 * stat. A sibling is used only if it is a regular file, not a symlink, so it cannot lead out of
 * the root the way the file it sits beside could not.
 */
final class Representations {

    private final StaticFileSettings.Compression compression;

    Representations(StaticFileSettings.Compression compression) {
        this.compression = compression;
    }

    /**
     * Whether responses for this file depend on {@code Accept-Encoding}, so say {@code Vary} for
     * caches. The same for every response of the file, 304 and 206 included, and without a stat.
     */
    boolean variesByEncoding(Resolution.Found found, String contentType) {
        return MediaTypes.isCompressible(contentType) && (compression.precompressed() || gzipsOnTheFly(found.attributes().size()));
    }

    /**
     * @param mayEncode false to get the file itself, as after a coded form failed to open
     */
    Representation select(Resolution.Found found, String contentType, AcceptEncoding accept, boolean mayEncode) {
        Derived derived = found.derived();
        if (mayEncode && accept != AcceptEncoding.IDENTITY_ONLY && MediaTypes.isCompressible(contentType)) {
            for (ContentCoding coding : accept.preferred()) {
                if (coding == ContentCoding.IDENTITY) {
                    break;
                }
                Representation sibling = compression.precompressed() ? sibling(found, coding) : null;
                if (sibling != null) {
                    return sibling;
                }
                if (coding == ContentCoding.GZIP && gzipsOnTheFly(found.attributes().size())) {
                    if (derived.gzipOnTheFly == null) {
                        derived.gzipOnTheFly = Representation.of(found.file(), found.attributes(), ContentCoding.GZIP, true);
                    }
                    return derived.gzipOnTheFly;
                }
            }
        }
        if (derived.identity == null) {
            derived.identity = Representation.of(found.file(), found.attributes(), ContentCoding.IDENTITY, false);
        }
        return derived.identity;
    }

    private boolean gzipsOnTheFly(long size) {
        return compression.enabled() && size >= compression.minSize() && size <= compression.maxSize();
    }

    /** The sibling in this coding, looked for once per resolution. */
    private static Representation sibling(Resolution.Found found, ContentCoding coding) {
        Representation[] known = found.derived().siblings;
        Representation sibling = known[coding.ordinal()];
        if (sibling == null) {
            sibling = lookForSibling(found.file(), coding);
            known[coding.ordinal()] = sibling == null ? Derived.NO_SIBLING : sibling;
        }
        return sibling == Derived.NO_SIBLING ? null : sibling;
    }

    private static Representation lookForSibling(Path file, ContentCoding coding) {
        Path sibling = file.resolveSibling(file.getFileName() + coding.fileSuffix());
        // java.io's isFile is one stat that answers false for a missing file; NIO would build an
        // exception for the common case, a file without siblings, on every request.
        if (!sibling.toFile().isFile()) {
            return null;
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(sibling, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? Representation.of(sibling, attributes, coding, false) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
