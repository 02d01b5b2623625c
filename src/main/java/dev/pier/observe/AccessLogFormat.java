package dev.pier.observe;

/** How each line of the access log is written. */
public enum AccessLogFormat {

    /**
     * NCSA Combined Log Format, as Apache's and nginx's {@code combined}:
     * {@code 127.0.0.1 - - [26/Nov/2026:17:01:49 +0000] "GET / HTTP/1.1" 200 1534 "-" "curl/7.88.1"}.
     */
    COMBINED,

    /** NCSA Common Log Format: combined without the referer and user agent. */
    COMMON,

    /** One JSON object per line, response time included, for log pipelines that parse JSON. */
    JSON
}
