package dev.pier.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** What follows a response head. */
public sealed interface ResponseBody permits ResponseBody.Empty, ResponseBody.Bytes, ResponseBody.FileRegion {

    ResponseBody EMPTY = new Empty();

    /** Bytes to send. */
    long length();

    /** Releases what the body holds; called once whether or not it was sent. */
    default void release() {
    }

    record Empty() implements ResponseBody {
        @Override
        public long length() {
            return 0;
        }
    }

    /** In-memory content; the buffer is never modified, so one instance may answer many requests. */
    record Bytes(ByteBuffer content) implements ResponseBody {

        public Bytes {
            content = content.asReadOnlyBuffer();
        }

        public static Bytes of(byte[] content) {
            return new Bytes(ByteBuffer.wrap(content));
        }

        @Override
        public long length() {
            return content.remaining();
        }
    }

    /** A region of an open file, sent zero-copy; the channel is owned by the body and closed by {@link #release()}. */
    record FileRegion(FileChannel channel, long position, long count) implements ResponseBody {

        @Override
        public long length() {
            return count;
        }

        @Override
        public void release() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a read-only file cannot lose data.
            }
        }
    }
}
