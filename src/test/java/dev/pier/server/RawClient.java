package dev.pier.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A socket that speaks HTTP/1.1 as raw bytes: the test writes exactly what goes on the wire and
 * reads responses one at a time, so keep-alive, pipelining and framing errors stay visible. Every
 * read times out after {@link #READ_TIMEOUT_MILLIS}, so a server that never answers fails the test
 * instead of hanging it. Writes have no such timeout: a test that sends more than the server may
 * read writes from another thread.
 */
public final class RawClient implements AutoCloseable {

    public static final int READ_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawClient connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return new RawClient(socket);
    }

    /** Like {@link #connect} with a small receive buffer, so a client that stops reading fills it fast. */
    public static RawClient connectWithReceiveBuffer(int port, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBufferBytes);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), READ_TIMEOUT_MILLIS);
        return new RawClient(socket);
    }

    /**
     * Asks for {@code target} over a small receive buffer, takes the first KiB of the answer, then
     * resets the connection (SO_LINGER 0): a client that leaves in the middle of a response.
     */
    public static void resetAfterFirstBytes(int port, String target) throws IOException {
        try (RawClient client = connectWithReceiveBuffer(port, 16 * 1024)) {
            client.send(get(target)).readExactly(1024);
            client.socket().setSoLinger(true, 0);
        }
    }

    /** Speaks over a socket already connected, such as a TLS socket whose handshake is done. */
    public static RawClient over(Socket socket) throws IOException {
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return new RawClient(socket);
    }

    /** Writes the text as ISO-8859-1 bytes in one write. */
    public RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** A GET with the Host field and nothing else. */
    public static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    /** Reads one response whose body, if any, is framed by Content-Length. */
    public RawResponse read() throws IOException {
        return read(false);
    }

    /** Reads the response to a HEAD request: the head only, whatever Content-Length says. */
    public RawResponse readHead() throws IOException {
        return read(true);
    }

    private RawResponse read(boolean headOnly) throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new EOFException("Connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("Not a status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = RawResponse.newHeaders();
        String line;
        while (!(line = requireLine()).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("Not a header field: " + line);
            }
            RawResponse.addHeader(headers, line.substring(0, colon), line.substring(colon + 1).trim());
        }
        byte[] body = new byte[0];
        boolean bodyless = headOnly || status < 200 || status == 204 || status == 304;
        List<String> lengths = headers.get("content-length");
        List<String> codings = headers.get("transfer-encoding");
        if (!bodyless && codings != null && codings.get(codings.size() - 1).equalsIgnoreCase("chunked")) {
            body = readChunked(headers);
        } else if (!bodyless && lengths != null) {
            body = readExactly(Math.toIntExact(Long.parseLong(lengths.get(0))));
        } else if (!bodyless) {
            // Neither length nor chunks: the body ends with the connection (RFC 9112 §6.3).
            body = in.readAllBytes();
        }
        return new RawResponse(statusLine, status, headers, body);
    }

    /** The data of the next chunk of a chunked body being read piece by piece; empty for the last chunk (its trailers skipped). */
    public byte[] readChunk() throws IOException {
        int size = Integer.parseInt(requireLine().split(";", 2)[0].trim(), 16);
        if (size == 0) {
            while (!requireLine().isEmpty()) {
                // Trailer fields.
            }
            return new byte[0];
        }
        byte[] data = readExactly(size);
        if (!requireLine().isEmpty()) {
            throw new IOException("Chunk data not followed by CRLF");
        }
        return data;
    }

    /** A chunked body, strictly framed; trailer fields join the header fields, as curl shows them. */
    private byte[] readChunked(Map<String, List<String>> headers) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = requireLine();
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                break;
            }
            body.write(readExactly(size));
            if (!requireLine().isEmpty()) {
                throw new IOException("Chunk data not followed by CRLF");
            }
        }
        String line;
        while (!(line = requireLine()).isEmpty()) {
            int colon = line.indexOf(':');
            RawResponse.addHeader(headers, line.substring(0, colon), line.substring(colon + 1).trim());
        }
        return body.toByteArray();
    }

    /** Reads exactly {@code count} bytes, failing on end of stream. */
    public byte[] readExactly(int count) throws IOException {
        byte[] bytes = in.readNBytes(count);
        if (bytes.length < count) {
            throw new EOFException("Connection closed after " + bytes.length + " of " + count + " body bytes");
        }
        return bytes;
    }

    /** Reads what has arrived, at most {@code into.length} bytes; -1 at end of stream. */
    public int readSome(byte[] into) throws IOException {
        return in.read(into);
    }

    /**
     * Whether the server closed the connection cleanly: the next read sees end of stream. A reset
     * propagates as the exception it is, since a server that resets may destroy its own response.
     */
    public boolean isClosedByServer() throws IOException {
        int next = in.read();
        if (next >= 0) {
            throw new IOException("Expected end of stream, read byte " + next + " (" + (char) next + ")");
        }
        return true;
    }

    /**
     * Whether the connection is still open after a short wait with nothing more from the server;
     * false if it closed, and a failure if it sent anything.
     */
    public boolean staysOpenFor(int waitMillis) throws IOException {
        socket.setSoTimeout(waitMillis);
        try {
            int next = in.read();
            if (next >= 0) {
                throw new IOException("Expected silence, read byte " + next + " (" + (char) next + ")");
            }
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        }
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    public Socket socket() {
        return socket;
    }

    private String requireLine() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new EOFException("Connection closed inside a response head");
        }
        return line;
    }

    /** A CRLF-terminated line without its CRLF; {@code null} at end of stream before any byte. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        if (line.size() > 0) {
            throw new EOFException("Connection closed inside a line: " + line.toString(StandardCharsets.ISO_8859_1));
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * Whether a fresh connection to this port, sending nothing, is ended by the server without a
     * byte: end of stream or a reset, even one that arrives before connect returns. A refused
     * connect (nothing listening) is not that, and fails.
     */
    public static boolean endsUnanswered(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            try {
                socket.connect(new InetSocketAddress(address, port), READ_TIMEOUT_MILLIS);
                return socket.getInputStream().read() == -1;
            } catch (ConnectException refused) {
                throw refused;
            } catch (SocketException reset) {
                return true;
            }
        }
    }

    /**
     * Whether something accepts connections on this loopback port. A connect to a closed port can
     * meet itself (TCP simultaneous open, when the kernel gives the client the same ephemeral port
     * number): that is not a listener.
     */
    public static boolean isListening(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return socket.getLocalPort() != port;
        } catch (ConnectException e) {
            return false;
        }
    }
}
