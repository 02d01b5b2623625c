package dev.pier.server;

import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * How a connection's bytes reach its socket: as they are ({@link PlainTransport}), or through TLS
 * ({@link TlsTransport}). {@link Connection} and {@link OutboundQueue} speak HTTP through it and
 * never touch the socket themselves. Loop thread only, like the connection that owns it.
 *
 * <p>A transport may hold bytes of its own: input it has decrypted but not yet handed over
 * ({@link #hasBufferedInput()}), which the selector will never report again, and output it has
 * accepted but not yet written ({@link #hasPendingOutput()}). It may also have work of its own to
 * do, such as a TLS handshake, so it has a say in which operations the connection waits for
 * ({@link #interestOps}).
 */
interface Transport {

    /**
     * Reads application bytes into {@code dst}.
     *
     * @return bytes read; 0 if none are available yet (nothing arrived, part of a TLS record, a
     *     handshake under way); -1 at the end of input
     * @throws PlainHttpRequestException if a TLS port received a plain HTTP request
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Whether {@link #read} would return bytes (or -1) now without the socket becoming readable:
     * bytes already taken from the socket and not yet handed over. Never true for a plain socket.
     */
    boolean hasBufferedInput();

    /**
     * Writes what the transport accepts of the buffers, in order.
     *
     * @return bytes of the buffers consumed; they may still wait in the transport (see {@link #hasPendingOutput()})
     */
    long write(ByteBuffer[] sources, int offset, int length) throws IOException;

    /**
     * Sends part of a file region, zero-copy where the transport allows.
     *
     * @return bytes of the file consumed; 0 when the socket takes nothing, or the file ends before {@code position}
     */
    long transferFile(FileChannel file, long position, long count) throws IOException;

    /**
     * Writes what the transport itself still holds (encrypted bytes, handshake messages, a closing
     * alert) and advances a handshake as far as writing takes it.
     */
    void flush() throws IOException;

    /** Bytes the transport accepted and has not yet written: the response is not out until this is false. */
    boolean hasPendingOutput();

    /** Whether the connection may exchange application bytes: true for plain sockets, after the handshake for TLS. */
    boolean isEstablished();

    /**
     * Ends the output: TLS says {@code close_notify} first, then the socket's output is shut down
     * (at once, or once the alert is flushed).
     */
    void shutdownOutput() throws IOException;

    /** Whether the connection may close without shutting its output first: false where TLS must say {@code close_notify}. */
    boolean closesAtOnce();

    /** Reads and discards whatever arrives, for a lingering close; -1 at the end of input. */
    int discardInput(ByteBuffer scratch) throws IOException;

    /**
     * The selector operations to wait for, given those the connection wants: adds
     * {@code OP_WRITE} while the transport holds output, and asks for none while the transport
     * waits for work done elsewhere.
     */
    int interestOps(int wanted);

    /** The protocol ALPN chose ({@code h2}, {@code http/1.1}), or {@code null} when none was (plain sockets). */
    default String applicationProtocol() {
        return null;
    }

    /**
     * Whether this connection may answer a request for its host ({@code Host} or {@code :authority}):
     * false over TLS when the certificate the client's SNI chose is not the one the host gets, which
     * is answered 421 Misdirected Request (RFC 9110 §7.4). Always true for plain sockets. Asked for
     * every request, so the request is passed whole: only a transport with hosts to tell apart
     * pays for finding its host field.
     */
    default boolean isAuthoritativeFor(HttpRequest request) {
        return true;
    }

    /** What this transport adds to every response: over TLS, {@code Strict-Transport-Security} if configured. */
    HttpResponse addTransportHeaders(HttpResponse response);

    /**
     * Closes the socket.
     *
     * @param clean whether nothing is half sent or half read, so a TLS peer may be told the end is
     *     deliberate ({@code close_notify}, written if the socket takes it at once)
     */
    void close(boolean clean);
}
