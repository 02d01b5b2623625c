package dev.pier.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** IMF-fixdate (RFC 9110 §5.6.7), with the current second's text cached for the Date header. */
public final class HttpDate {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private record Cached(long second, String text) {
    }

    private static volatile Cached now = new Cached(Long.MIN_VALUE, "");

    private HttpDate() {
    }

    public static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /** The current time; formatted at most once a second however many responses ask. */
    public static String now() {
        long second = System.currentTimeMillis() / 1000;
        Cached cached = now;
        if (cached.second != second) {
            cached = new Cached(second, format(Instant.ofEpochSecond(second)));
            now = cached;
        }
        return cached.text;
    }
}
