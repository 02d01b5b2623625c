package dev.pier.files;

import dev.pier.http.HttpDate;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import java.time.Instant;
import java.util.List;

/**
 * Conditional requests on a file that exists, in the order of RFC 9110 §13.2.2:
 * <ol>
 * <li>{@code If-Match}: no member matches strongly → 412;</li>
 * <li>otherwise {@code If-Unmodified-Since}: modified after the date → 412;</li>
 * <li>{@code If-None-Match}: a member matches weakly → 304 for GET and HEAD, 412 otherwise;</li>
 * <li>otherwise, for GET and HEAD only, {@code If-Modified-Since}: not modified after the date → 304.</li>
 * </ol>
 * So If-None-Match beats If-Modified-Since, and If-Match beats If-Unmodified-Since, as caches that
 * send both expect. A date that is not a valid HTTP-date, or a date field given more than once,
 * is ignored (§13.1.3, §13.1.4). {@code If-Range} (§13.1.5), step 5, is {@link #ifRangeAllows}.
 *
 * <p>Dates compare in whole seconds, the precision of {@code Last-Modified}: a file modified at
 * 07:08:09.750 is "not modified since" 07:08:09, the value it was served with.
 */
final class Preconditions {

    enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

    private Preconditions() {
    }

    /**
     * @param etag the selected representation's tag
     * @param lastModified its modification time in epoch seconds
     */
    static Outcome evaluate(HttpMethod method, HttpHeaders headers, String etag, long lastModified) {
        String ifMatch = headers.first("If-Match");
        if (ifMatch != null) {
            if (!anyMatches(headers.all("If-Match"), etag, true)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else {
            Instant ifUnmodifiedSince = singleDate(headers, "If-Unmodified-Since");
            if (ifUnmodifiedSince != null && lastModified > ifUnmodifiedSince.getEpochSecond()) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        boolean safe = method == HttpMethod.GET || method == HttpMethod.HEAD;
        String ifNoneMatch = headers.first("If-None-Match");
        if (ifNoneMatch != null) {
            if (anyMatches(headers.all("If-None-Match"), etag, false)) {
                return safe ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
            }
        } else if (safe) {
            Instant ifModifiedSince = singleDate(headers, "If-Modified-Since");
            if (ifModifiedSince != null && lastModified <= ifModifiedSince.getEpochSecond()) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /**
     * Whether a Range request's {@code If-Range} lets the range through (§13.1.5): an entity tag that
     * matches strongly, or a date exactly equal to {@code Last-Modified}. Anything else, a weak tag
     * or text that is neither, means "send the whole file".
     */
    static boolean ifRangeAllows(String ifRange, String etag, long lastModified) {
        if (ifRange == null) {
            return true;
        }
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
            return EntityTag.strongMatch(ifRange, etag);
        }
        Instant date = HttpDate.parse(ifRange);
        return date != null && date.getEpochSecond() == lastModified;
    }

    private static boolean anyMatches(List<String> fields, String etag, boolean strong) {
        for (String field : fields) {
            if (EntityTag.listMatches(field, etag, strong)) {
                return true;
            }
        }
        return false;
    }

    /** The field's date, or {@code null} when absent, repeated or invalid: each of those means "ignore the field". */
    private static Instant singleDate(HttpHeaders headers, String name) {
        String value = headers.first(name);
        if (value == null || headers.all(name).size() > 1) {
            return null;
        }
        return HttpDate.parse(value);
    }
}
