package dev.pier.server;

import dev.pier.http.HttpResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import lombok.extern.slf4j.Slf4j;

/** The socket as it is: reads and gathering writes go straight to it, files with zero-copy {@code transferTo}. */
@Slf4j
final class PlainTransport implements Transport {

    private final SocketChannel channel;

    PlainTransport(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public boolean hasBufferedInput() {
        return false;
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
        return channel.write(sources, offset, length);
    }

    @Override
    public long transferFile(FileChannel file, long position, long count) throws IOException {
        return file.transferTo(position, count, channel);
    }

    @Override
    public void flush() {
        // Nothing of its own to write.
    }

    @Override
    public boolean hasPendingOutput() {
        return false;
    }

    @Override
    public boolean isEstablished() {
        return true;
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public boolean closesAtOnce() {
        return true;
    }

    @Override
    public int discardInput(ByteBuffer scratch) throws IOException {
        return channel.read(scratch);
    }

    @Override
    public int interestOps(int wanted) {
        return wanted;
    }

    @Override
    public HttpResponse addTransportHeaders(HttpResponse response) {
        return response;
    }

    @Override
    public void close(boolean clean) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Closing a connection failed", e);
        }
    }
}
