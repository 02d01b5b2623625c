package dev.pier.http;

import java.nio.charset.StandardCharsets;

/**
 * The methods of RFC 9110 §9 and RFC 5789. Method names are case-sensitive: {@code get} is an
 * unknown method, not GET.
 */
public enum HttpMethod {
    GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH;

    /** {@code values()} copies its array on every call. */
    private static final HttpMethod[] ALL = values();

    private final byte[] name = name().getBytes(StandardCharsets.US_ASCII);

    /** Returns the method spelled by {@code bytes[from, to)}, or {@code null} if there is none. */
    public static HttpMethod lookup(byte[] bytes, int from, int to) {
        for (HttpMethod method : ALL) {
            if (method.name.length == to - from && java.util.Arrays.equals(method.name, 0, method.name.length, bytes, from, to)) {
                return method;
            }
        }
        return null;
    }
}
