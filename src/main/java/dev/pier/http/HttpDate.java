package dev.pier.http;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.ZoneOffset;

/**
 * HTTP-date (RFC 9110 §5.6.7): IMF-fixdate to send, with the current second's text cached for the
 * Date header; all three forms to receive.
 */
public final class HttpDate {

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] LONG_DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private record Cached(long second, String text) {
    }

    private static volatile Cached now = new Cached(Long.MIN_VALUE, "");

    private HttpDate() {
    }

    /**
     * {@code Sun, 06 Nov 1994 08:49:37 GMT}. Written by hand rather than with a
     * {@code DateTimeFormatter}: every file response states its {@code Last-Modified}, and the
     * formatter costs several times more on that path.
     */
    public static String format(Instant instant) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(29)
                .append(DAYS[time.getDayOfWeek().ordinal()]).append(", ");
        twoDigits(text, time.getDayOfMonth()).append(' ').append(MONTHS[time.getMonthValue() - 1]).append(' ');
        int year = time.getYear();
        if (year < 1000) {
            text.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        }
        text.append(year).append(' ');
        twoDigits(text, time.getHour()).append(':');
        twoDigits(text, time.getMinute()).append(':');
        return twoDigits(text, time.getSecond()).append(" GMT").toString();
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
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

    /**
     * Reads an HTTP-date in any of its three forms: {@code Sun, 06 Nov 1994 08:49:37 GMT}
     * (IMF-fixdate), {@code Sunday, 06-Nov-94 08:49:37 GMT} (obsolete RFC 850) or
     * {@code Sun Nov  6 08:49:37 1994} (obsolete asctime). Names are case-sensitive, as the grammar
     * says. A caller must ignore a field whose date is invalid, so this returns {@code null} rather
     * than throwing: conditional requests read client input on the event loop, where an exception
     * per bad header would be waste.
     *
     * @return the instant, or {@code null} if the text is none of the three forms or names no real date
     */
    public static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        int comma = text.indexOf(',');
        if (comma == 3 && text.length() == 29) {
            return imfFixdate(text);
        }
        if (comma > 3) {
            return rfc850(text, comma);
        }
        if (comma < 0 && text.length() == 24) {
            return asctime(text);
        }
        return null;
    }

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT} */
    private static Instant imfFixdate(String s) {
        if (indexOf(DAYS, s, 0) < 0 || s.charAt(4) != ' ' || s.charAt(7) != ' ' || s.charAt(11) != ' ' || s.charAt(16) != ' '
                || !s.startsWith(" GMT", 25)) {
            return null;
        }
        return of(digits(s, 12, 4), indexOf(MONTHS, s, 8), digits(s, 5, 2), s, 17);
    }

    /** {@code Sunday, 06-Nov-94 08:49:37 GMT}; the two-digit year is read as RFC 9110 §5.6.7 says. */
    private static Instant rfc850(String s, int comma) {
        int at = comma + 1;
        if (!isLongDay(s, comma) || s.length() != at + 23 || s.charAt(at) != ' ' || s.charAt(at + 3) != '-' || s.charAt(at + 7) != '-'
                || s.charAt(at + 10) != ' ' || !s.startsWith(" GMT", at + 19)) {
            return null;
        }
        int twoDigits = digits(s, at + 8, 2);
        if (twoDigits < 0) {
            return null;
        }
        // "a timestamp that appears to be more than 50 years in the future" is read as the most recent past year with those digits.
        int thisYear = Year.now(ZoneOffset.UTC).getValue();
        int year = thisYear - thisYear % 100 + twoDigits;
        if (year > thisYear + 50) {
            year -= 100;
        }
        return of(year, indexOf(MONTHS, s, at + 4), digits(s, at + 1, 2), s, at + 11);
    }

    /** {@code Sun Nov  6 08:49:37 1994}: the day of the month is padded with a space, not a zero. */
    private static Instant asctime(String s) {
        if (indexOf(DAYS, s, 0) < 0 || s.charAt(3) != ' ' || s.charAt(7) != ' ' || s.charAt(10) != ' ' || s.charAt(19) != ' ') {
            return null;
        }
        int day = s.charAt(8) == ' ' ? digits(s, 9, 1) : digits(s, 8, 2);
        return of(digits(s, 20, 4), indexOf(MONTHS, s, 4), day, s, 11);
    }

    /** Builds the instant from the parts and {@code HH:MM:SS} at {@code time}; null if any part is invalid. */
    private static Instant of(int year, int monthIndex, int day, String s, int time) {
        if (s.charAt(time + 2) != ':' || s.charAt(time + 5) != ':') {
            return null;
        }
        int hour = digits(s, time, 2);
        int minute = digits(s, time + 3, 2);
        int second = digits(s, time + 6, 2);
        if (year < 0 || monthIndex < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        try {
            // LocalDateTime rejects 31 Feb, hour 24 and second 60 alike.
            return LocalDateTime.of(year, monthIndex + 1, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal number of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int indexOf(String[] names, String s, int from) {
        for (int i = 0; i < names.length; i++) {
            if (s.startsWith(names[i], from)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isLongDay(String s, int length) {
        for (String day : LONG_DAYS) {
            if (day.length() == length && s.startsWith(day)) {
                return true;
            }
        }
        return false;
    }
}
