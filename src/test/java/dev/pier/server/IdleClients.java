package dev.pier.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate JVM holding many idle keep-alive connections to a server, so neither its sockets nor
 * its memory are counted against the server's process. Opens each connection, makes one request on
 * it and reads the answer, prints {@code READY <n>}, then waits for a line on stdin (or two minutes)
 * and closes them all.
 *
 * <p>Usage: {@code java dev.pier.server.IdleClients <port> <connections> <path>}
 */
public final class IdleClients {

    private IdleClients() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        byte[] request = ("GET " + args[2] + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        // Never outlive a test that forgot us.
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException ignored) {
                // Exiting anyway.
            }
            System.exit(2);
        });
        watchdog.setDaemon(true);
        watchdog.start();

        List<SocketChannel> open = new ArrayList<>(count);
        ByteBuffer response = ByteBuffer.allocate(64 * 1024);
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open(server);
            channel.write(ByteBuffer.wrap(request));
            response.clear();
            readResponse(channel, response);
            open.add(channel);
        }
        System.out.println("READY " + open.size());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        for (SocketChannel channel : open) {
            channel.close();
        }
        System.exit(0);
    }

    /** Reads until the head and the Content-Length it states have arrived. */
    private static void readResponse(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (true) {
            if (channel.read(buffer) < 0) {
                throw new IOException("Closed by the server after " + buffer.position() + " bytes");
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
            int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd < 0) {
                continue;
            }
            if (!text.startsWith("HTTP/1.1 200 ")) {
                throw new IOException("Unexpected response: " + text.lines().findFirst().orElse(""));
            }
            int lengthAt = text.toLowerCase().indexOf("content-length: ");
            int length = Integer.parseInt(text.substring(lengthAt + 16, text.indexOf('\r', lengthAt)).trim());
            if (buffer.position() >= headEnd + 4 + length) {
                return;
            }
        }
    }
}
