package dev.pier.files;

/** RFC 9110 §5.6.3 optional whitespace (spaces and tabs) around the elements of a header field. */
final class OptionalWhitespace {

    private OptionalWhitespace() {
    }

    /** The first index in {@code [from, to)} that is not whitespace, or {@code to}. */
    static int skip(String field, int from, int to) {
        while (from < to && isSpace(field.charAt(from))) {
            from++;
        }
        return from;
    }

    /** The end of {@code [from, to)} without its trailing whitespace. */
    static int trim(String field, int from, int to) {
        while (to > from && isSpace(field.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
