package dev.pier.http1;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The field names clients send most, as shared constants: a browser's request carries a dozen
 * fields, and every name parsed into a new {@code String} is garbage a moment later. A name is
 * shared only when its bytes match exactly, so the spelling the client used is kept.
 */
final class KnownFieldNames {

    private static final String[] NAMES = {
        "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Connection", "Referer",
        "If-None-Match", "If-Modified-Since", "If-Range", "Range", "Cookie", "Origin", "Cache-Control", "Pragma",
        "Content-Length", "Content-Type", "Upgrade-Insecure-Requests", "Sec-Fetch-Dest", "Sec-Fetch-Mode",
        "Sec-Fetch-Site", "Sec-Fetch-User", "Sec-Ch-Ua", "Sec-Ch-Ua-Mobile", "Sec-Ch-Ua-Platform", "Priority",
        "DNT", "Authorization", "X-Forwarded-For", "X-Forwarded-Proto", "X-Request-Id", "Expect", "Transfer-Encoding",
        // In lower case, as some clients send them (Python's httpx, Node's fetch).
        "host", "user-agent", "accept", "accept-encoding", "accept-language", "connection", "content-length", "content-type",
    };
    private static final byte[][] BYTES = Arrays.stream(NAMES).map(name -> name.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);

    private KnownFieldNames() {
    }

    /** The name in {@code bytes[from, to)}: a shared constant when it is a known one, else a new string. */
    static String of(byte[] bytes, int from, int to) {
        int length = to - from;
        for (int i = 0; i < BYTES.length; i++) {
            byte[] known = BYTES[i];
            if (known.length == length && known[0] == bytes[from] && Arrays.equals(known, 0, length, bytes, from, to)) {
                return NAMES[i];
            }
        }
        return RequestParser.latin1(bytes, from, to);
    }
}
