package dev.pier.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The folder whose files Pier publishes, and the only way to turn a request path into one of them.
 *
 * <p>A path is normalised lexically first, as RFC 3986 §5.2.4 removes dot segments: {@code ..}
 * that would climb above the root is a bad request (as nginx answers), and a segment no published
 * name may have (hidden, or holding {@code \}, {@code :} or NUL) is not found, even if a later
 * {@code ..} would remove it. Then the file system has its say: the real path, every symlink
 * followed, must still lie inside the root's real path. Nothing here trusts the HTTP parser, so the
 * class is safe on its own whatever decoding happened before.
 *
 * <p>Immutable and thread-safe; {@link #resolve} touches the file system only to stat the result.
 */
public final class DocRoot {

    private final Path root;
    private final boolean serveHiddenFiles;

    /**
     * @param root the folder to publish, relative to the working directory or absolute
     * @param serveHiddenFiles whether names starting with {@code .} (such as {@code .git}) may be served
     * @throws InvalidDocumentRootException if the root is missing, not a folder or not readable
     */
    public DocRoot(Path root, boolean serveHiddenFiles) {
        this.root = realFolder(Objects.requireNonNull(root, "root"));
        this.serveHiddenFiles = serveHiddenFiles;
    }

    /** The root's absolute real path. */
    public Path root() {
        return root;
    }

    /**
     * Resolves a percent-decoded request path such as {@code /css/site.css}.
     *
     * @param path the path as {@link dev.pier.http.HttpRequest#path()} gives it; it must start with {@code /}
     */
    public Resolution resolve(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return Resolution.BadRequest.INSTANCE;
        }
        // The normalised path relative to the root, segments joined by '/': never empty segments, '.' or '..'.
        StringBuilder relative = new StringBuilder(path.length());
        int length = path.length();
        for (int start = 1; start <= length; ) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            if (isDotDot(path, start, end)) {
                if (relative.length() == 0) {
                    return Resolution.BadRequest.INSTANCE;
                }
                relative.setLength(Math.max(relative.lastIndexOf("/"), 0));
            } else if (end > start && !isDot(path, start, end)) {
                if (!isPublishable(path, start, end)) {
                    return Resolution.NotFound.INSTANCE;
                }
                if (relative.length() > 0) {
                    relative.append('/');
                }
                relative.append(path, start, end);
            }
            start = end + 1;
        }
        try {
            String normalised = relative.toString();
            return locate(normalised.isEmpty() ? root : root.resolve(normalised), "/" + normalised);
        } catch (InvalidPathException e) {
            return Resolution.NotFound.INSTANCE;
        }
    }

    /** Follows symlinks and keeps the result only if it is still inside the root. */
    private Resolution locate(Path candidate, String path) {
        try {
            Path real = candidate.toRealPath();
            if (!real.startsWith(root)) {
                return Resolution.NotFound.INSTANCE;
            }
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isDirectory()) {
                return new Resolution.Directory(real, path);
            }
            // Only regular files: opening a FIFO or a device could block the event loop.
            if (attributes.isRegularFile() && Files.isReadable(real)) {
                return new Resolution.Found(real, attributes, path);
            }
            return Resolution.NotFound.INSTANCE;
        } catch (IOException | SecurityException e) {
            return Resolution.NotFound.INSTANCE;
        }
    }

    /** Whether a file or folder of this name may be served (and so listed): the rule {@link #resolve} applies to every segment. */
    boolean isPublishable(String name) {
        return !name.isEmpty() && !isDot(name, 0, name.length()) && !isDotDot(name, 0, name.length()) && isPublishable(name, 0, name.length());
    }

    /** Whether a segment other than {@code .} and {@code ..} may name something we serve. */
    private boolean isPublishable(String path, int start, int end) {
        if (path.charAt(start) == '.' && !serveHiddenFiles) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = path.charAt(i);
            // '\' separates on Windows, ':' names drives and NTFS streams, NUL ends a C string.
            if (c == '\\' || c == ':' || c == '\0') {
                return false;
            }
        }
        return true;
    }

    private static boolean isDot(String path, int start, int end) {
        return end - start == 1 && path.charAt(start) == '.';
    }

    private static boolean isDotDot(String path, int start, int end) {
        return end - start == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.';
    }

    private static Path realFolder(Path configured) {
        Path absolute = configured.toAbsolutePath();
        Path real;
        try {
            real = absolute.toRealPath();
        } catch (NoSuchFileException e) {
            throw new InvalidDocumentRootException(configured,
                    "Document root " + absolute + " does not exist; set pier.document-root to an existing folder");
        } catch (IOException e) {
            throw new InvalidDocumentRootException(configured, "Document root " + absolute + " cannot be opened ("
                    + e.getMessage() + "); set pier.document-root to a folder this process can read", e);
        }
        if (!Files.isDirectory(real)) {
            throw new InvalidDocumentRootException(configured,
                    "Document root " + absolute + " is a file, not a folder; set pier.document-root to the folder holding the site");
        }
        // A folder needs execute permission too, or its files cannot be opened.
        if (!Files.isReadable(real) || !Files.isExecutable(real)) {
            throw new InvalidDocumentRootException(configured, "Document root " + absolute
                    + " is not readable by this process; grant it read access or set pier.document-root to another folder");
        }
        return real;
    }

    @Override
    public String toString() {
        return "DocRoot[" + root + (serveHiddenFiles ? ", hidden files served]" : "]");
    }
}
