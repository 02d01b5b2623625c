package dev.pier.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * An htpasswd file whose users follow the file: on use, at most once a second, its modification
 * time, size and identity (inode) are compared with those read last, and a changed file is read
 * again; the next request sees the new users. A new version that cannot be read or is refused
 * ({@link Htpasswd}) leaves the previous users in place, with one log line per such version.
 *
 * <p>Called from whichever thread runs the guarded handler, event loops included: the look at the
 * file is one {@code stat}, done by whichever thread claims the second, and the users are one
 * volatile snapshot replaced whole.
 */
public final class HtpasswdFile {

    private static final Logger log = LoggerFactory.getLogger(HtpasswdFile.class);
    private static final long CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** One hash per cost for unknown users, made once per JVM from a password nobody knows. */
    private static final Map<Integer, String> DUMMY_HASHES = new ConcurrentHashMap<>();

    /** The users in force, the file as they were read from it, and a number that changes with every version read. */
    public record Version(Htpasswd users, String dummyHash, long number, FileState state) {
    }

    /** What tells one version of the file from the next. */
    record FileState(FileTime modified, long size, Object key) {
    }

    /** The file could not be looked at: missing, or not readable. */
    private static final FileState UNREADABLE = new FileState(FileTime.fromMillis(0), -1, "unreadable");

    private final Path path;
    private final LongSupplier nanoTime;
    private final AtomicLong nextCheck;
    private volatile Version current;
    /** The last version refused, so its log line is written once; written under the claim of {@link #nextCheck}. */
    private volatile FileState refused;

    private HtpasswdFile(Path path, LongSupplier nanoTime, Version first) {
        this.path = path;
        this.nanoTime = nanoTime;
        this.current = first;
        this.nextCheck = new AtomicLong(nanoTime.getAsLong() + CHECK_INTERVAL_NANOS);
    }

    /**
     * Reads the file once, now.
     *
     * @throws Htpasswd.InvalidHtpasswdException with one sentence if it is missing, unreadable or refused
     */
    public static HtpasswdFile load(Path path) {
        return load(path, System::nanoTime);
    }

    static HtpasswdFile load(Path path, LongSupplier nanoTime) {
        return new HtpasswdFile(path, nanoTime, read(path, 1));
    }

    /** The users in force, the file looked at again first if a second has passed since the last look. */
    public Version current() {
        long now = nanoTime.getAsLong();
        long due = nextCheck.get();
        if (now - due >= 0 && nextCheck.compareAndSet(due, now + CHECK_INTERVAL_NANOS)) {
            reloadIfChanged();
        }
        return current;
    }

    private void reloadIfChanged() {
        Version version = current;
        FileState state;
        try {
            state = stateOf(path);
        } catch (IOException e) {
            refuse(UNREADABLE, "The htpasswd file " + path + " cannot be read (" + e + ").");
            return;
        }
        if (state.equals(version.state()) || state.equals(refused)) {
            return;
        }
        try {
            Version next = read(path, version.number() + 1);
            current = next;
            refused = null;
            log.info("Read the htpasswd file {} again: {} users", path, next.users().users().size());
        } catch (Htpasswd.InvalidHtpasswdException e) {
            refuse(state, e.getMessage());
        }
    }

    private void refuse(FileState state, String reason) {
        if (!state.equals(refused)) {
            log.warn("{} The previous users stay in force until the file is fixed.", reason);
        }
        refused = state;
    }

    private static Version read(Path path, long number) {
        try {
            FileState state = stateOf(path);
            String content = Files.readString(path, StandardCharsets.UTF_8);
            Htpasswd users = Htpasswd.parse(content, path.toString());
            return new Version(users, dummyHash(users.maxCost()), number, state);
        } catch (NoSuchFileException e) {
            throw new Htpasswd.InvalidHtpasswdException("The htpasswd file " + path.toAbsolutePath() + " does not exist;"
                    + " make it with htpasswd -B -c " + path + " <user>.");
        } catch (IOException e) {
            throw new Htpasswd.InvalidHtpasswdException("The htpasswd file " + path.toAbsolutePath() + " cannot be read: " + e.getMessage() + ".");
        }
    }

    private static FileState stateOf(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return new FileState(attributes.lastModifiedTime(), attributes.size(), Objects.requireNonNullElse(attributes.fileKey(), ""));
    }

    /** A bcrypt hash of this cost that no password sent will match, so an unknown user costs what a known one does. */
    static String dummyHash(int cost) {
        return DUMMY_HASHES.computeIfAbsent(cost, c -> BCrypt.hashpw(Long.toHexString(System.nanoTime()) + "-no-such-user",
                BCrypt.gensalt(Math.max(c, 4))));
    }
}
