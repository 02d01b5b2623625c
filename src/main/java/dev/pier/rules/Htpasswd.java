package dev.pier.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The users of an htpasswd file, as Apache's {@code htpasswd -B} writes it: one {@code user:hash}
 * a line, {@code #} comments and blank lines skipped, LF or CRLF line ends. Only bcrypt hashes
 * ({@code $2y$}, {@code $2a$}, {@code $2b$}) of cost at most {@link #MAX_COST} are accepted; every
 * other format htpasswd can write (Apache MD5 {@code $apr1$}, {@code {SHA}}, crypt) is unsalted or
 * fast enough to brute-force and refused, with one sentence naming the file, the line and the
 * format. A user named twice is refused too: which of the two lines counts would be a guess.
 *
 * <p>Pure: text in, users out, no file system.
 *
 * @param users user name to bcrypt hash, in the file's order
 * @param maxCost the highest bcrypt cost among them, which the check for an unknown user spends too
 */
public record Htpasswd(Map<String, String> users, int maxCost) {

    /**
     * The highest bcrypt cost accepted. Checks run on the thread of the handler they guard, the
     * event loop for static files: cost 10 takes about 50 ms of CPU there, each step above doubles it.
     */
    public static final int MAX_COST = 10;

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./0-9A-Za-z]{53}");
    private static final Pattern DES_CRYPT = Pattern.compile("[./0-9A-Za-z]{13}");

    /** Refused content, with one sentence saying where and what to do. */
    public static final class InvalidHtpasswdException extends IllegalArgumentException {

        public InvalidHtpasswdException(String message) {
            super(message);
        }
    }

    /**
     * @param file how messages name the file, its path
     * @throws InvalidHtpasswdException for a line that is not {@code user:bcrypt-hash}, a user named twice, or no user at all
     */
    public static Htpasswd parse(String content, String file) {
        Map<String, String> users = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        int maxCost = 0;
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new InvalidHtpasswdException("The htpasswd file " + file + ", line " + number
                        + ", is not user:hash; make the file with htpasswd -B.");
            }
            String user = line.substring(0, colon);
            String hash = line.substring(colon + 1).strip();
            Matcher bcrypt = BCRYPT.matcher(hash);
            if (!bcrypt.matches()) {
                throw new InvalidHtpasswdException("The htpasswd file " + file + ", line " + number + ", holds user '" + user
                        + "' with a " + formatOf(hash) + ", which Pier refuses as too weak; make it again with htpasswd -B.");
            }
            int cost = Integer.parseInt(bcrypt.group(1));
            if (cost > MAX_COST) {
                throw new InvalidHtpasswdException("The htpasswd file " + file + ", line " + number + ", holds user '" + user
                        + "' with bcrypt cost " + cost + ", above the " + MAX_COST + " Pier accepts since checks run on the event loop;"
                        + " make it again with htpasswd -B -C " + MAX_COST + " (or less).");
            }
            Integer first = lineOf.putIfAbsent(user, number);
            if (first != null) {
                throw new InvalidHtpasswdException("The htpasswd file " + file + ", line " + number + ", names user '" + user
                        + "' again after line " + first + "; keep one line per user.");
            }
            users.put(user, hash);
            maxCost = Math.max(maxCost, cost);
        }
        if (users.isEmpty()) {
            throw new InvalidHtpasswdException("The htpasswd file " + file + " has no users; add one with htpasswd -B " + file + " <user>.");
        }
        return new Htpasswd(Collections.unmodifiableMap(users), maxCost);
    }

    /** What a refused hash is, as the operator would recognise it from htpasswd's options. */
    static String formatOf(String hash) {
        if (hash.startsWith("$apr1$")) {
            return "hash in Apache MD5 ($apr1$, htpasswd -m)";
        }
        if (hash.startsWith("{SHA}")) {
            return "hash in unsalted SHA-1 ({SHA}, htpasswd -s)";
        }
        if (hash.startsWith("$1$")) {
            return "hash in MD5 crypt ($1$)";
        }
        if (hash.startsWith("$5$")) {
            return "hash in SHA-256 crypt ($5$)";
        }
        if (hash.startsWith("$6$")) {
            return "hash in SHA-512 crypt ($6$)";
        }
        if (hash.startsWith("$2")) {
            return "malformed or unknown bcrypt variant";
        }
        if (DES_CRYPT.matcher(hash).matches()) {
            return "hash in DES crypt (htpasswd -d)";
        }
        return hash.startsWith("$") ? "hash in an unknown format" : "plain-text password (htpasswd -p) or an unknown format";
    }

    /** The user's hash for a user name compared with every user's in constant time per name, or {@code null}. */
    String hashOf(String user) {
        byte[] sought = user.getBytes(StandardCharsets.UTF_8);
        String found = null;
        for (Map.Entry<String, String> entry : users.entrySet()) {
            // No early exit and no hash lookup: how long this takes does not depend on which user matched.
            if (MessageDigest.isEqual(sought, entry.getKey().getBytes(StandardCharsets.UTF_8))) {
                found = entry.getValue();
            }
        }
        return found;
    }
}
