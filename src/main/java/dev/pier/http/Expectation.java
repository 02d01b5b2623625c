package dev.pier.http;


/** What a request's {@code Expect} field asks of the server (RFC 9110 §10.1.1). */
public enum Expectation {

    /** No expectation: no field, an empty one, or an HTTP/1.0 request, whose expectations a server must ignore. */
    NONE,

    /** {@code 100-continue}: the client waits for {@code 100 Continue} (or a final status) before sending the body. */
    CONTINUE,

    /** Anything else, alone or beside {@code 100-continue}: answered 417. */
    UNSUPPORTED;

    public static Expectation of(HttpHeaders headers, HttpVersion version) {
        if (version == HttpVersion.HTTP_1_0) {
            return NONE;
        }
        Expectation found = NONE;
        for (String field : headers.all("Expect")) {
            for (String member : field.split(",", -1)) {
                String trimmed = member.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                if (!trimmed.equalsIgnoreCase("100-continue")) {
                    return UNSUPPORTED;
                }
                found = CONTINUE;
            }
        }
        return found;
    }
}
