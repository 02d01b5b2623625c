package dev.pier.files;

import dev.pier.http.PathPattern;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;

/**
 * The folder whose files Pier publishes, and the only way to turn a request path into one of them.
 *
 * <p>A path is normalised lexically first, as RFC 3986 §5.2.4 removes dot segments: {@code ..}
 * that would climb above the root is a bad request (as nginx answers), and a segment no published
 * name may have (hidden, or holding {@code \}, {@code :} or NUL) is not found, even if a later
 * {@code ..} would remove it. Hidden names (a leading dot: {@code .git}, {@code .env}) have
 * exceptions, path patterns such as {@code /.well-known/**} (RFC 8615): a path with a hidden segment
 * is served only if, without any {@code ..}, it matches one of them with every hidden name spelled
 * out ({@link PathPattern#matchesSpellingOutDotNames}), so {@code /.well-known/.git} stays hidden.
 * Then the file system has its say: the real path, every symlink followed, must still lie inside
 * the root's real path. Nothing here trusts the HTTP parser, so the class is safe on its own
 * whatever decoding happened before.
 *
 * <p>Immutable and thread-safe; {@link #resolve} touches the file system only to stat the result.
 */
public final class DocRoot {

    private final Path root;
    private final boolean serveHiddenFiles;
    private final List<PathPattern> servedHidden;

    /**
     * @param root the folder to publish, relative to the working directory or absolute
     * @param serveHiddenFiles whether names starting with {@code .} (such as {@code .git}) may be served
     * @throws InvalidDocumentRootException if the root is missing, not a folder or not readable
     */
    public DocRoot(Path root, boolean serveHiddenFiles) {
        this(root, serveHiddenFiles, List.of());
    }

    /**
     * @param servedHidden path patterns under which hidden names are served all the same, such as {@code /.well-known/**}
     * @throws IllegalArgumentException if a pattern is not a path pattern
     */
    public DocRoot(Path root, boolean serveHiddenFiles, List<String> servedHidden) {
        this.root = realFolder(Objects.requireNonNull(root, "root"));
        this.serveHiddenFiles = serveHiddenFiles;
        this.servedHidden = servedHidden.stream().map(PathPattern::compile).toList();
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
        boolean climbed = false;
        boolean hidden = false;
        for (int start = 1; start <= length; ) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            if (isDotDot(path, start, end)) {
                if (relative.length() == 0) {
                    return Resolution.BadRequest.INSTANCE;
                }
                climbed = true;
                relative.setLength(Math.max(relative.lastIndexOf("/"), 0));
            } else if (end > start && !isDot(path, start, end)) {
                if (!isPublishableName(path, start, end)) {
                    return Resolution.NotFound.INSTANCE;
                }
                if (isHidden(path, start)) {
                    if (servedHidden.isEmpty()) {
                        return Resolution.NotFound.INSTANCE;
                    }
                    hidden = true;
                }
                if (relative.length() > 0) {
                    relative.append('/');
                }
                relative.append(path, start, end);
            }
            start = end + 1;
        }
        String normalised = relative.toString();
        if (hidden && (climbed || !isServedHidden("/" + normalised))) {
            return Resolution.NotFound.INSTANCE;
        }
        try {
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

    /**
     * Whether a file or folder of this name in the folder of this normalised path may be served,
     * and so listed: the rules {@link #resolve} applies.
     */
    boolean isPublishable(String folder, String name) {
        if (name.isEmpty() || isDot(name, 0, name.length()) || isDotDot(name, 0, name.length()) || !isPublishableName(name, 0, name.length())) {
            return false;
        }
        return !isHidden(name, 0) || isServedHidden(folder.endsWith("/") ? folder + name : folder + "/" + name);
    }

    /** Whether a segment's leading dot keeps it from being served, unless an exception covers its path. */
    private boolean isHidden(String path, int start) {
        return path.charAt(start) == '.' && !serveHiddenFiles;
    }

    private boolean isServedHidden(String normalisedPath) {
        for (PathPattern pattern : servedHidden) {
            if (pattern.matchesSpellingOutDotNames(normalisedPath)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a segment other than {@code .} and {@code ..} holds only characters a published name may have. */
    private static boolean isPublishableName(String path, int start, int end) {
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
        return "DocRoot[" + root + (serveHiddenFiles ? ", hidden files served]"
                : servedHidden.isEmpty() ? "]" : ", hidden files served under " + servedHidden + "]");
    }
}
