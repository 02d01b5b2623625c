package dev.pier.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/** What follows a response head. */
public sealed interface ResponseBody permits ResponseBody.Empty, ResponseBody.Bytes, ResponseBody.FileRegion, ResponseBody.Composite {

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

    /**
     * A region of an open file, sent zero-copy. By default the body owns the channel and
     * {@link #release()} closes it; a channel shared between responses comes with its own
     * {@code releaser} instead, which hands this body's claim on it back.
     */
    record FileRegion(FileChannel channel, long position, long count, Runnable releaser) implements ResponseBody {

        public FileRegion(FileChannel channel, long position, long count) {
            this(channel, position, count, null);
        }

        @Override
        public long length() {
            return count;
        }

        @Override
        public void release() {
            if (releaser != null) {
                releaser.run();
                return;
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a read-only file cannot lose data.
            }
        }
    }

    /**
     * Parts sent one after another, such as the sections of a {@code multipart/byteranges} body:
     * bytes between regions of one file. File parts may share a channel, so no part is released
     * on its own: {@link #release()} releases them all once the whole body is sent or dropped.
     */
    record Composite(List<ResponseBody> parts) implements ResponseBody {

        public Composite {
            parts = List.copyOf(parts);
            for (ResponseBody part : parts) {
                if (part instanceof Composite) {
                    throw new IllegalArgumentException("A composite body's parts are bytes or file regions, not composites");
                }
            }
        }

        @Override
        public long length() {
            long total = 0;
            for (ResponseBody part : parts) {
                total += part.length();
            }
            return total;
        }

        @Override
        public void release() {
            for (ResponseBody part : parts) {
                part.release();
            }
        }
    }
}
