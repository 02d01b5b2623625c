package dev.pier.multipart;

import dev.pier.http.HttpException;

/**
 * A form Pier refuses, with the status to answer and a short reason for the client: 400 when the
 * bytes are malformed, 413 past one of the {@link MultipartLimits}, 415 when the request is not
 * {@code multipart/form-data} at all. As an {@link HttpException}, a handler may let it through and
 * the server answers with that status.
 */
public final class MultipartException extends HttpException {

    public MultipartException(int status, String reason) {
        super(status, reason);
    }

    public String reason() {
        return getMessage();
    }

    static MultipartException malformed(String reason) {
        return new MultipartException(400, reason);
    }

    static MultipartException tooLarge(String reason) {
        return new MultipartException(413, reason);
    }
}
