package dev.pier.files;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * nginx's {@code try_files} for the static files: candidates tried in order, each a path in the
 * root in which {@code $uri} stands for the request path ({@code $uri}, {@code $uri.html},
 * {@code $uri/index.html}, {@code /maintenance.html}), then a last entry that is either a status
 * ({@code =404}) or a fallback path ({@code /index.html}).
 *
 * <ul>
 * <li>A candidate that resolves to a file serves it, with 200 and no redirect: {@code /about}
 *     served from {@code about.html} is a clean URL.</li>
 * <li>{@code $uri} and {@code $uri/} also take a folder, and a folder ends the search: its
 *     {@link TrailingSlash} redirect, its {@code index.html}, its listing, or 404.</li>
 * <li>Every candidate is resolved by {@link DocRoot} as a request path would be: confined to the
 *     root, hidden names hidden; a candidate climbing above the root answers 400.</li>
 * <li>The fallback is a single-page app's page: served only for request paths whose last segment
 *     has no extension ({@code /users/42}, never {@code /app.js}), with {@code Cache-Control:
 *     no-cache}, as the page stands for many addresses.</li>
 * </ul>
 *
 * Immutable.
 */
public final class TryFiles {

    /** The placeholder for the request path, percent-decoded as handlers see it. */
    static final String URI = "$uri";

    /** Pier's behaviour before the setting: the file, else the folder, else 404. */
    public static final TryFiles DEFAULT = parse(List.of(URI, URI + "/", "=404"));

    /**
     * One entry before the last.
     *
     * @param template the path with {@code $uri} placeholders
     * @param takesFolder whether a folder it names is served as a folder ({@code $uri} and {@code $uri/})
     */
    record Candidate(String template, boolean takesFolder) {

        /** The candidate's path; for {@code $uri} alone, the request's own, with no copy on the way to every file. */
        String expand(String path) {
            return template.equals(URI) ? path : template.replace(URI, path);
        }
    }

    private final List<Candidate> candidates;
    private final String fallback;
    private final int status;

    private TryFiles(List<Candidate> candidates, String fallback, int status) {
        this.candidates = List.copyOf(candidates);
        this.fallback = fallback;
        this.status = status;
    }

    /**
     * Reads the entries as {@code pier.try-files} lists them.
     *
     * @throws IllegalArgumentException with one sentence saying what is wrong
     */
    public static TryFiles parse(List<String> entries) {
        if (entries == null || entries.size() < 2) {
            throw new IllegalArgumentException("pier.try-files needs at least one candidate and a last entry, as in [$uri, $uri.html, =404].");
        }
        List<Candidate> candidates = new ArrayList<>(entries.size() - 1);
        for (int i = 0; i < entries.size() - 1; i++) {
            String entry = Objects.requireNonNullElse(entries.get(i), "").trim();
            if (!entry.startsWith("/") && !entry.startsWith(URI)) {
                throw new IllegalArgumentException("pier.try-files[" + i + "] '" + entry + "' must be a path starting with / or $uri"
                        + (entry.startsWith("=") ? "; only the last entry may be a status" : "") + ".");
            }
            if (entry.replace(URI, "").indexOf('$') >= 0) {
                throw new IllegalArgumentException("pier.try-files[" + i + "] '" + entry + "' uses a variable other than $uri, the only one Pier knows.");
            }
            candidates.add(new Candidate(entry, entry.equals(URI) || entry.equals(URI + "/")));
        }
        int last = entries.size() - 1;
        String entry = Objects.requireNonNullElse(entries.get(last), "").trim();
        if (entry.matches("=[0-9]{3}")) {
            int status = Integer.parseInt(entry.substring(1));
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("pier.try-files[" + last + "] '" + entry + "' must be an error status from =400 to =599.");
            }
            return new TryFiles(candidates, null, status);
        }
        if (!entry.startsWith("/") || entry.indexOf('$') >= 0) {
            throw new IllegalArgumentException("pier.try-files[" + last + "] '" + entry
                    + "' must be a status such as =404 or a fallback path in the document root such as /index.html.");
        }
        return new TryFiles(candidates, entry, 404);
    }

    /** These candidates with a fallback path as their last entry, or a 404 when {@code null}: what {@code pier.fallback} alone means. */
    public TryFiles withFallback(String path) {
        return new TryFiles(candidates, path, 404);
    }

    List<Candidate> candidates() {
        return candidates;
    }

    /** The single-page app's page, or {@code null}. */
    public String fallback() {
        return fallback;
    }

    /** The status when nothing is found: the last entry's, or 404 after a fallback that does not apply. */
    int status() {
        return status;
    }

    @Override
    public String toString() {
        List<String> entries = new ArrayList<>();
        candidates.forEach(candidate -> entries.add(candidate.template()));
        entries.add(fallback != null ? fallback : "=" + status);
        return entries.toString();
    }
}
