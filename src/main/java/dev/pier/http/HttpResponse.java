package dev.pier.http;

import java.nio.charset.StandardCharsets;

/**
 * A response as a handler returns it. The server adds {@code Date}, {@code Server},
 * {@code Content-Length} (unless present, as for HEAD) and {@code Connection}.
 */
public record HttpResponse(int status, HttpHeaders headers, ResponseBody body) {

    public HttpResponse {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("Invalid status " + status);
        }
    }

    public static Builder status(int status) {
        return new Builder(status);
    }

    /** This response with one header field set, in place of any of that name. */
    public HttpResponse withHeader(String name, String value) {
        return new HttpResponse(status, headers.toBuilder().set(name, value).build(), body);
    }

    /** The length the {@code Content-Length} field states: the handler's own value, else the body's. */
    public long contentLength() {
        String declared = headers.first("Content-Length");
        return declared != null ? Long.parseLong(declared) : body.length();
    }

    public static final class Builder {

        private final int status;
        private final HttpHeaders.Builder headers = HttpHeaders.builder();
        private ResponseBody body = ResponseBody.EMPTY;

        private Builder(int status) {
            this.status = status;
        }

        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        public Builder contentType(String value) {
            headers.set("Content-Type", value);
            return this;
        }

        public Builder body(ResponseBody value) {
            body = value;
            return this;
        }

        public Builder body(byte[] value) {
            return body(ResponseBody.Bytes.of(value));
        }

        /** A UTF-8 text body; sets a text/plain content type unless one is set. */
        public Builder body(String text) {
            if (!headers.contains("Content-Type")) {
                contentType("text/plain;charset=utf-8");
            }
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        public HttpResponse build() {
            return new HttpResponse(status, headers.build(), body);
        }
    }
}
