package dev.pier.http;

/** The protocol versions Pier speaks; anything else is answered with 505. */
public enum HttpVersion {
    HTTP_1_0("HTTP/1.0"), HTTP_1_1("HTTP/1.1"),
    /** Requests carried by HTTP/2 streams; written as nginx logs them. */
    HTTP_2_0("HTTP/2.0");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
