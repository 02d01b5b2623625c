package dev.pier.files;

import java.nio.file.Path;

/** The configured document root cannot be served; the message says what to change. */
public final class InvalidDocumentRootException extends RuntimeException {

    private final Path root;

    public InvalidDocumentRootException(Path root, String message) {
        super(message);
        this.root = root;
    }

    public InvalidDocumentRootException(Path root, String message, Throwable cause) {
        super(message, cause);
        this.root = root;
    }

    /** The root as configured, before any resolution. */
    public Path root() {
        return root;
    }
}
