package dev.pier.files;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code Range} field of a GET (RFC 9110 §14.1.1, §14.2), read against the length of the file:
 * {@code bytes=0-499}, {@code bytes=500-}, {@code bytes=-500}, or several of them.
 *
 * <p>Bounded so that a request cannot make the server work or send much more than the file: more
 * than {@code maxRanges} ranges gets the whole file instead (§14.2 allows ignoring the field), and
 * the ranges are sorted and coalesced when they overlap, touch, or are separated by less than the
 * overhead of another multipart part ({@link #COALESCE_GAP}), so a thousand tiny ranges cost no more
 * than the bytes they cover. Requested order is then lost, which §14.2 allows ("MAY coalesce").
 */
final class ByteRanges {

    /** Roughly what a part's boundary, Content-Type and Content-Range lines cost; a smaller gap is sent instead. */
    static final long COALESCE_GAP = 80;

    /** What the field asks of this file. */
    sealed interface Result permits Ignored, TooMany, Unsatisfiable, Satisfiable {
    }

    /** No valid {@code bytes} range-set (or an empty file): answer 200 with everything, as without the field. */
    record Ignored() implements Result {
    }

    /** More ranges than allowed: answer 200 with everything. */
    record TooMany(int count) implements Result {
    }

    /** A valid range-set none of whose ranges overlaps the file: 416 with {@code Content-Range: bytes *}{@code /length}. */
    record Unsatisfiable() implements Result {
    }

    /** The ranges to send, sorted, coalesced and within the file; one means a plain 206, several multipart. */
    record Satisfiable(List<ByteRange> ranges) implements Result {
    }

    private static final Ignored IGNORED = new Ignored();
    private static final Unsatisfiable UNSATISFIABLE = new Unsatisfiable();

    private ByteRanges() {
    }

    /**
     * @param field the {@code Range} value
     * @param length the file's length
     * @param maxRanges the most ranges one request may ask for
     */
    static Result parse(String field, long length, int maxRanges) {
        // range-unit is case-insensitive; no whitespace around "=" in the grammar.
        if (field.length() < 6 || !field.regionMatches(true, 0, "bytes=", 0, 6)) {
            return IGNORED;
        }
        List<ByteRange> ranges = new ArrayList<>(2);
        int count = 0;
        int end = field.length();
        for (int start = 6; start <= end; ) {
            int comma = field.indexOf(',', start);
            int specEnd = comma < 0 ? end : comma;
            int from = OptionalWhitespace.skip(field, start, specEnd);
            int to = OptionalWhitespace.trim(field, from, specEnd);
            start = specEnd + 1;
            if (from == to) {
                // The list syntax allows empty members ("bytes=0-1,,5-6"); they name nothing.
                continue;
            }
            if (++count > maxRanges) {
                return new TooMany(count);
            }
            int dash = field.indexOf('-', from);
            if (dash < 0 || dash >= to) {
                return IGNORED;
            }
            if (dash == from) {
                long suffix = digits(field, from + 1, to);
                if (suffix < 0) {
                    return IGNORED;
                }
                // A suffix longer than the file means all of it (§14.1.3); -0 asks for nothing.
                if (suffix > 0 && length > 0) {
                    ranges.add(new ByteRange(Math.max(0, length - suffix), length - 1));
                }
                continue;
            }
            long first = digits(field, from, dash);
            long last = dash + 1 == to ? Long.MAX_VALUE : digits(field, dash + 1, to);
            if (first < 0 || last < 0 || last < first) {
                // "5-2" makes the whole field invalid (§14.1.1), not just this member.
                return IGNORED;
            }
            if (first < length) {
                ranges.add(new ByteRange(first, Math.min(last, length - 1)));
            }
        }
        if (count == 0) {
            return IGNORED;
        }
        if (length == 0) {
            // Nothing to cut; answering the empty file whole is more use to a resuming client than 416.
            return IGNORED;
        }
        if (ranges.isEmpty()) {
            return UNSATISFIABLE;
        }
        return new Satisfiable(coalesce(ranges));
    }

    /** Sorts and merges ranges that overlap, touch or lie closer than {@link #COALESCE_GAP}. */
    static List<ByteRange> coalesce(List<ByteRange> ranges) {
        if (ranges.size() == 1) {
            return List.of(ranges.get(0));
        }
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ByteRange::first));
        List<ByteRange> merged = new ArrayList<>(sorted.size());
        ByteRange current = sorted.get(0);
        for (int i = 1; i < sorted.size(); i++) {
            ByteRange next = sorted.get(i);
            if (next.first() <= current.last() + 1 + COALESCE_GAP) {
                current = new ByteRange(current.first(), Math.max(current.last(), next.last()));
            } else {
                merged.add(current);
                current = next;
            }
        }
        merged.add(current);
        return List.copyOf(merged);
    }

    /** The number in ASCII digits {@code [from, to)}, saturating at {@link Long#MAX_VALUE}; -1 if empty or not digits. */
    private static long digits(String field, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = field.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int digit = c - '0';
            value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
        }
        return value;
    }
}
