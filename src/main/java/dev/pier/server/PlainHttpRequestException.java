package dev.pier.server;

import java.io.IOException;

/**
 * A TLS port received a plain HTTP request instead of a handshake. The connection answers it in
 * plain text with 400 and closes, as nginx does ("The plain HTTP request was sent to HTTPS port"),
 * so a mistyped {@code http://} gets an explanation rather than a reset.
 */
final class PlainHttpRequestException extends IOException {

    PlainHttpRequestException() {
        super("A plain HTTP request came to a TLS port");
    }
}
