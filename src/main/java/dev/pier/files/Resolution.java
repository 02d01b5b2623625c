package dev.pier.files;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** What a request path names inside a {@link DocRoot}. */
public sealed interface Resolution
        permits Resolution.Found, Resolution.Directory, Resolution.NotFound, Resolution.BadRequest {

    /**
     * A readable regular file, by its real path, with the attributes read while resolving it, and
     * what the handler derives from them once.
     */
    final class Found implements Resolution {

        private final Path file;
        private final BasicFileAttributes attributes;
        private final String path;
        private final Derived derived = new Derived();

        /**
         * @param path the request path normalised, relative to the root: {@code /css/site.css}, whatever
         *     dot segments, doubled slashes or symlinks led there; what rules by path are matched against
         */
        Found(Path file, BasicFileAttributes attributes, String path) {
            this.file = file;
            this.attributes = attributes;
            this.path = path;
        }

        public Path file() {
            return file;
        }

        public BasicFileAttributes attributes() {
            return attributes;
        }

        public String path() {
            return path;
        }

        Derived derived() {
            return derived;
        }

        @Override
        public String toString() {
            return "Found[" + path + " -> " + file + "]";
        }
    }

    /**
     * An existing folder, by its real path; the caller decides between its index and a redirect.
     *
     * @param path the request path normalised, relative to the root, without a trailing slash: {@code /} or {@code /docs}
     */
    record Directory(Path directory, String path) implements Resolution {
    }

    /**
     * Nothing that may be served: missing, unreadable, hidden, outside the root through a symlink,
     * not a regular file, or a name no file of ours may have.
     */
    record NotFound() implements Resolution {
        static final NotFound INSTANCE = new NotFound();
    }

    /** The path climbs above the root with {@code ..}, or is not a path at all. */
    record BadRequest() implements Resolution {
        static final BadRequest INSTANCE = new BadRequest();
    }
}
