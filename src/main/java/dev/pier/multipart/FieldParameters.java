package dev.pier.multipart;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A header field value of the form {@code main *( OWS ";" OWS name "=" ( token / quoted-string ) )}
 * (RFC 9110 §5.6.6): a {@code Content-Type} or a {@code Content-Disposition}. Parameter names are
 * case-insensitive and may not repeat; whitespace around {@code =} and a trailing {@code ;} are
 * tolerated, as some clients send them.
 *
 * <p>In a quoted-string only {@code \"} and {@code \\} are escapes; a backslash before anything else
 * stays, as browsers never escape and old ones sent Windows paths ({@code "C:\Users\a.txt"}) raw
 * (Go's {@code mime} and Jetty read them so too).
 *
 * @param main what precedes the first {@code ;}, trimmed: a media type or a disposition type
 * @param parameters by lower-case name, in order of appearance
 */
record FieldParameters(String main, Map<String, String> parameters) {

    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

    /** The value's part before any parameter, trimmed, without checking the rest. */
    static String main(String value) {
        int semicolon = value.indexOf(';');
        return (semicolon < 0 ? value : value.substring(0, semicolon)).trim();
    }

    /**
     * Parses the value of {@code field}.
     *
     * @throws MultipartException 400 "Malformed {field}", "Malformed quoted-string in {field}" or
     *     "Repeated parameter {name} in {field}"
     */
    static FieldParameters parse(String value, String field) {
        int length = value.length();
        Map<String, String> parameters = new LinkedHashMap<>();
        int i = value.indexOf(';');
        if (i < 0) {
            i = length;
        }
        while (i < length) {
            // Here value[i] is ';'.
            i = skipWhitespace(value, i + 1);
            if (i == length || value.charAt(i) == ';') {
                continue;
            }
            int nameEnd = tokenEnd(value, i);
            String name = value.substring(i, nameEnd).toLowerCase(Locale.ROOT);
            i = skipWhitespace(value, nameEnd);
            if (name.isEmpty() || i == length || value.charAt(i) != '=') {
                throw MultipartException.malformed("Malformed " + field);
            }
            i = skipWhitespace(value, i + 1);
            String parameter;
            if (i < length && value.charAt(i) == '"') {
                StringBuilder unquoted = new StringBuilder();
                i = quotedString(value, i, unquoted, field);
                parameter = unquoted.toString();
            } else {
                int end = tokenEnd(value, i);
                if (end == i) {
                    throw MultipartException.malformed("Malformed " + field);
                }
                parameter = value.substring(i, end);
                i = end;
            }
            if (parameters.putIfAbsent(name, parameter) != null) {
                throw MultipartException.malformed("Repeated parameter " + name + " in " + field);
            }
            i = skipWhitespace(value, i);
            if (i < length && value.charAt(i) != ';') {
                throw MultipartException.malformed("Malformed " + field);
            }
        }
        return new FieldParameters(main(value), parameters);
    }

    /** The value of a parameter, by its name in lower case; {@code null} when absent. */
    String parameter(String name) {
        return parameters.get(name);
    }

    /** Appends the content of the quoted-string opening at {@code open}; returns the index after its closing quote. */
    private static int quotedString(String value, int open, StringBuilder out, String field) {
        for (int i = open + 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < value.length() && (value.charAt(i + 1) == '"' || value.charAt(i + 1) == '\\')) {
                c = value.charAt(++i);
            }
            out.append(c);
        }
        throw MultipartException.malformed("Malformed quoted-string in " + field);
    }

    private static int tokenEnd(String value, int from) {
        int i = from;
        while (i < value.length() && isTokenChar(value.charAt(i))) {
            i++;
        }
        return i;
    }

    static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || TCHAR_SYMBOLS.indexOf(c) >= 0;
    }

    private static int skipWhitespace(String value, int from) {
        int i = from;
        while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
