package dev.pier.server;

import java.nio.ByteBuffer;

/**
 * The buffers one event loop's TLS connections encrypt and decrypt in, so that a connection holds
 * buffers of its own only for what is left over between two turns: part of a record, decrypted
 * bytes not yet parsed, encrypted bytes the socket did not take. An idle TLS connection holds none.
 * Loop thread only; a buffer is valid until the caller returns to the loop.
 *
 * <p>All are heap buffers: the JDK's AES-GCM runs its intrinsics on arrays and takes a slower path
 * for direct buffers, which costs more (about 15% more CPU per byte of a large file, measured)
 * than the copy into a temporary direct buffer that each socket and file operation then makes.
 */
final class TlsScratch {

    /** Largest plaintext of one TLS record (RFC 8446 §5.1). */
    static final int RECORD_PLAINTEXT = 16 * 1024;
    /** Records encrypted per socket write: fewer system calls for large bodies, a bounded leftover for slow readers. */
    static final int RECORDS_PER_WRITE = 4;

    /** Ciphertext read from the socket. */
    ByteBuffer netIn;
    /** Plaintext decrypted from it. */
    ByteBuffer appIn;
    /** Ciphertext to write: up to {@link #RECORDS_PER_WRITE} records. */
    ByteBuffer netOut;
    /** A part of a file being sent, read before it is encrypted. */
    final ByteBuffer fileChunk = ByteBuffer.allocate(RECORDS_PER_WRITE * RECORD_PLAINTEXT);

    TlsScratch(int packetSize, int applicationSize) {
        netIn = ByteBuffer.allocate(packetSize);
        appIn = ByteBuffer.allocate(applicationSize);
        netOut = ByteBuffer.allocate(RECORDS_PER_WRITE * packetSize);
    }

    /** For a record or a session larger than the buffers were made for (BUFFER_OVERFLOW, BUFFER_UNDERFLOW). */
    static ByteBuffer grown(ByteBuffer buffer, int atLeast) {
        return ByteBuffer.allocate(atLeast).put(buffer.flip());
    }
}
