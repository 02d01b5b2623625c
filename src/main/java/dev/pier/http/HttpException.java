package dev.pier.http;

/**
 * A failure that has an HTTP status of its own (a malformed query string is the client's 400, not
 * the server's 500). Handlers may throw it; the server answers with the status and the message.
 */
public class HttpException extends RuntimeException {

    private final int status;

    public HttpException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
