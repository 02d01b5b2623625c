package dev.pier.server;

import dev.pier.http.HttpDate;
import dev.pier.http.HttpHeaders;
import dev.pier.http.ResponseBody;
import dev.pier.http2.ErrorCode;
import dev.pier.http2.FrameWriter;
import dev.pier.http2.Http2Settings;
import dev.pier.http2.ResponseFields;
import dev.pier.http2.hpack.HpackEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The sending side of an HTTP/2 connection: every frame it sends, assembled in one buffer and
 * written through the {@link Wire} in as few writes as the socket allows. Control frames and
 * HEADERS go into the buffer as they arise; DATA is taken from the streams that have some by turns,
 * a frame per stream per round so none starves the others, within the peer's stream and connection
 * windows, and until {@link #HIGH_WATER} bytes wait for the socket. DATA payloads of bytes up to
 * {@link #COPY_LIMIT} are copied next to their frame header, larger ones are queued where they are;
 * a file's are read next to their header.
 * Loop thread only.
 */
final class Http2Output {

    /** DATA payloads up to this size are copied next to their frame header; larger ones are written from where they are. */
    private static final int COPY_LIMIT = 4096;
    /** Output waiting for the socket beyond which no more DATA is framed, and the session stops reading. */
    static final long HIGH_WATER = 256 * 1024;

    /** What the session hears of a stream's last frame. */
    interface Ends {

        /** The stream's END_STREAM was framed. */
        void endFramed(Http2Stream stream);

        /** The stream's last frame was written to the socket. */
        void endWritten(Http2Stream stream);

        /** The stream's file could not be read: it cannot go on. */
        void fileFailed(Http2Stream stream, IOException failure);
    }

    private enum Framed { MORE, DONE, STREAM_BLOCKED, CONNECTION_BLOCKED, FAILED }

    private final Wire wire;
    private final OutboundQueue outbound;
    private final Ends ends;
    private final String serverName;
    private final HpackEncoder encoder = new HpackEncoder();
    private final ResponseFields responseFields = new ResponseFields(encoder);
    /** Streams with DATA (or their end) to frame, in turn. */
    private final ArrayDeque<Http2Stream> ready = new ArrayDeque<>();
    /** Streams whose last frame is queued, in order of where it ends in the output. */
    private final ArrayDeque<Http2Stream> finishing = new ArrayDeque<>();
    private final ArrayDeque<Long> finishingAt = new ArrayDeque<>();

    /**
     * Where frames are assembled; bytes before {@link #sealedTo} are in the output queue and stay
     * as they are until written. Dropped while the connection is idle.
     */
    private ByteBuffer frames;
    private int sealedTo;
    /** Frame buffers handed to the queue in full, given back to the loop once written. */
    private final ArrayDeque<ByteBuffer> inFlight = new ArrayDeque<>();
    /** Where a header block is encoded before it is cut into frames; dropped while the connection is idle. */
    private ByteBuffer block;
    /** The peer's connection window. */
    private long sendWindow = Http2Settings.DEFAULTS.initialWindowSize();
    private int maxFrameSize = Http2Settings.MIN_MAX_FRAME_SIZE;
    /** Streams with bytes to send and no window to send them in. */
    private int windowBlocked;
    /** Bytes were written or a window opened since {@link #progressed()} was last asked. */
    private boolean progress;

    Http2Output(Wire wire, Ends ends, String serverName) {
        this.wire = wire;
        this.outbound = wire.outbound;
        this.ends = ends;
        this.serverName = serverName;
    }

    // ---- control frames and headers ------------------------------------------------------------

    void settings(Http2Settings settings) {
        FrameWriter.settings(room(FrameWriter.HEADER_LENGTH + 6 * 6), settings);
    }

    void settingsAck() {
        FrameWriter.settingsAck(room(FrameWriter.HEADER_LENGTH));
    }

    void windowUpdate(int streamId, int increment) {
        FrameWriter.windowUpdate(room(FrameWriter.HEADER_LENGTH + 4), streamId, increment);
    }

    void ping(long data, boolean ack) {
        FrameWriter.ping(room(FrameWriter.HEADER_LENGTH + 8), data, ack);
    }

    void goAway(int lastStreamId, ErrorCode error, byte[] debugData) {
        FrameWriter.goAway(room(FrameWriter.HEADER_LENGTH + 8 + debugData.length), lastStreamId, error, debugData);
    }

    void rstStream(int streamId, ErrorCode error) {
        FrameWriter.rstStream(room(FrameWriter.HEADER_LENGTH + 4), streamId, error);
    }

    /** An interim response, such as {@code 100 Continue}. */
    void interim(int streamId, int status) {
        blockFor(HpackEncoder.MAX_BLOCK_START_LENGTH + HpackEncoder.MAX_STATUS_LENGTH);
        responseFields.encodeInterim(status, block);
        headers(streamId, block.flip(), false);
    }

    /**
     * A response's HEADERS.
     *
     * @return the bytes it took on the wire, for the access log
     */
    int head(int streamId, int status, HttpHeaders fields, long contentLength, boolean endStream) {
        String date = HttpDate.now();
        blockFor(ResponseFields.maxHeadLength(fields, serverName, date));
        responseFields.encodeHead(status, fields, contentLength, serverName, date, block);
        int length = block.position();
        headers(streamId, block.flip(), endStream);
        return length + FrameWriter.HEADER_LENGTH;
    }

    private void trailers(int streamId, HttpHeaders fields) {
        blockFor(ResponseFields.maxFieldsLength(fields));
        responseFields.encodeTrailers(fields, block);
        headers(streamId, block.flip(), true);
    }

    private void blockFor(int needed) {
        if (block == null || block.capacity() < needed) {
            block = ByteBuffer.allocate(Math.max(4096, needed));
        }
        block.clear();
    }

    private void headers(int streamId, ByteBuffer encoded, boolean endStream) {
        FrameWriter.headers(room(FrameWriter.headersLength(encoded.remaining(), maxFrameSize)), streamId, encoded, endStream, maxFrameSize);
    }

    // ---- the peer's settings and windows ---------------------------------------------------

    /** The peer's SETTINGS: its HPACK table and the largest frame it takes. */
    void peerSettings(Http2Settings peer) {
        encoder.setMaxTableSize((int) Math.min(Integer.MAX_VALUE, peer.headerTableSize()));
        maxFrameSize = peer.maxFrameSize();
    }

    /** @return false if the connection's window passed 2^31-1 */
    boolean connectionWindowOpened(int increment) {
        progress = true;
        sendWindow += increment;
        return sendWindow <= Http2Settings.MAX_WINDOW_SIZE;
    }

    /** A stream's window grew: it may send again. */
    void windowOpened(Http2Stream stream) {
        progress = true;
        unblock(stream);
        ready(stream);
    }

    /** A stream has bytes to frame, or its end. */
    void ready(Http2Stream stream) {
        if (!stream.queuedForSending && !stream.closed && stream.hasSomethingToSend()) {
            stream.queuedForSending = true;
            ready.add(stream);
        }
    }

    /** The stream is closed: it no longer waits for a window, and its body is released. */
    void forget(Http2Stream stream) {
        unblock(stream);
        stream.sending.clear();
        release(stream);
    }

    private void unblock(Http2Stream stream) {
        if (stream.windowBlocked) {
            stream.windowBlocked = false;
            windowBlocked--;
        }
    }

    /** The body was read into frames, or will not be: its files can close. */
    void release(Http2Stream stream) {
        ResponseBody body = stream.releaseAfter;
        stream.releaseAfter = null;
        if (body != null) {
            body.release();
        }
    }

    /** The stream's last frame is queued: {@link Ends#endWritten} once it is written. */
    void endQueued(Http2Stream stream) {
        finishing.add(stream);
        finishingAt.add(outbound.written() + pending());
    }

    // ---- writing ---------------------------------------------------------------------------

    /**
     * Frames what the streams have ready and writes it all, on while the socket takes everything.
     *
     * @param idle no stream is open: an emptied frame buffer is dropped rather than kept
     * @return false if the peer is gone: the session closes
     */
    boolean flush(boolean idle) {
        while (true) {
            boolean full = pending() >= HIGH_WATER;
            boolean framed = frameData();
            seal();
            if (!write(idle)) {
                return false;
            }
            // On while the socket takes it all: unless every ready stream waits for a window.
            if (!outbound.isEmpty() || ready.isEmpty() || !framed && !full) {
                return true;
            }
        }
    }

    private boolean write(boolean idle) {
        long written = wire.flush(this);
        if (written < 0) {
            return false;
        }
        if (outbound.isEmpty()) {
            framesWritten(idle);
        }
        if (written > 0) {
            progress = true;
            while (!finishing.isEmpty() && finishingAt.peek() <= outbound.written()) {
                finishingAt.poll();
                ends.endWritten(finishing.poll());
            }
        }
        return true;
    }

    /** Streams whose last frame was queued and not yet written: the session gives up on them when it closes. */
    Iterable<Http2Stream> unfinished() {
        return finishing;
    }

    /** Output waits for the socket or a window: the send timeout runs. */
    boolean waiting() {
        return !wire.allSent() || windowBlocked > 0 || !ready.isEmpty() && sendWindow <= 0;
    }

    /** Whether bytes were written or a window opened since last asked. */
    boolean progressed() {
        boolean progressed = progress;
        progress = false;
        return progressed;
    }

    /** So much waits for the socket that the session stops reading. */
    boolean backedUp() {
        return outbound.queuedBytes() > HIGH_WATER;
    }

    boolean hasPending() {
        return !outbound.isEmpty();
    }

    /** Bytes framed and not yet written. */
    private long pending() {
        return outbound.queuedBytes() + (frames == null ? 0 : frames.position() - sealedTo);
    }

    /** Room for {@code needed} bytes of frames, in the buffer being assembled. */
    private ByteBuffer room(int needed) {
        if (frames != null && frames.remaining() >= needed) {
            return frames;
        }
        seal();
        if (frames != null) {
            inFlight.add(frames);
        }
        frames = needed <= EventLoop.FRAME_BUFFER_BYTES ? wire.loop.lendFrameBuffer() : null;
        if (frames == null) {
            frames = ByteBuffer.allocate(Math.max(EventLoop.FRAME_BUFFER_BYTES, needed));
        }
        sealedTo = 0;
        return frames;
    }

    /** Hands the frames assembled so far to the output queue; later ones go on in the same buffer. */
    private void seal() {
        if (frames != null && frames.position() > sealedTo) {
            ByteBuffer assembled = frames.duplicate().flip();
            outbound.add(assembled.position(sealedTo));
            sealedTo = frames.position();
        }
    }

    /** Everything queued was written: the buffer can start again, or go while no stream is open. */
    private void framesWritten(boolean idle) {
        if (idle) {
            block = null;
        }
        ByteBuffer written;
        while ((written = inFlight.poll()) != null) {
            giveBack(written);
        }
        if (frames != null && sealedTo == frames.position()) {
            if (idle) {
                giveBack(frames);
                frames = null;
            } else {
                frames.clear();
                sealedTo = 0;
            }
        }
    }

    private void giveBack(ByteBuffer buffer) {
        if (buffer.isDirect()) {
            wire.loop.giveBack(buffer);
        }
    }

    /** The connection closed, its queue dropped: the loop's buffers go back to it. */
    void close() {
        framesWritten(true);
        if (frames != null) {
            giveBack(frames);
            frames = null;
        }
    }

    /**
     * Moves DATA from the ready streams into the output, a frame per stream by turns.
     *
     * @return whether anything was framed
     */
    private boolean frameData() {
        boolean framed = false;
        while (!ready.isEmpty() && pending() < HIGH_WATER) {
            Http2Stream stream = ready.poll();
            stream.queuedForSending = false;
            if (stream.closed) {
                continue;
            }
            Framed result = frameOne(stream);
            if (result == Framed.STREAM_BLOCKED && !stream.sending.isEmpty() && !stream.windowBlocked) {
                stream.windowBlocked = true;
                windowBlocked++;
            }
            if (result == Framed.FAILED) {
                continue;
            }
            if (result == Framed.CONNECTION_BLOCKED) {
                stream.queuedForSending = true;
                ready.addFirst(stream);
                break;
            }
            framed |= result == Framed.MORE || result == Framed.DONE;
            if (result == Framed.MORE) {
                stream.queuedForSending = true;
                ready.add(stream);
            }
        }
        return framed;
    }

    private Framed frameOne(Http2Stream stream) {
        Object next = stream.sending.peek();
        if (next == null) {
            if (stream.responseComplete && !stream.localClosed) {
                FrameWriter.dataHeader(room(FrameWriter.HEADER_LENGTH), stream.id, 0, true);
                ends.endFramed(stream);
                return Framed.DONE;
            }
            return Framed.STREAM_BLOCKED;
        }
        if (next instanceof Http2Stream.Trailers fields) {
            stream.sending.poll();
            trailers(stream.id, fields.fields());
            ends.endFramed(stream);
            return Framed.DONE;
        }
        long window = Math.min(stream.sendWindow, sendWindow);
        if (window <= 0) {
            return stream.sendWindow <= 0 ? Framed.STREAM_BLOCKED : Framed.CONNECTION_BLOCKED;
        }
        // DATA frames stay at the default size whatever the peer allows: four fill one of the loop's frame buffers.
        int allowed = (int) Math.min(window, Http2Settings.MIN_MAX_FRAME_SIZE);
        boolean lastItem = stream.sending.size() == 1 && stream.responseComplete;
        int count;
        boolean endStream;
        if (next instanceof ByteBuffer bytes) {
            count = Math.min(allowed, bytes.remaining());
            endStream = lastItem && count == bytes.remaining();
            if (count <= COPY_LIMIT) {
                ByteBuffer out = room(FrameWriter.HEADER_LENGTH + count);
                FrameWriter.dataHeader(out, stream.id, count, endStream);
                out.put(out.position(), bytes, bytes.position(), count);
                out.position(out.position() + count);
            } else {
                FrameWriter.dataHeader(room(FrameWriter.HEADER_LENGTH), stream.id, count, endStream);
                seal();
                outbound.add(bytes.slice(bytes.position(), count));
            }
            bytes.position(bytes.position() + count);
            if (!bytes.hasRemaining()) {
                stream.sending.poll();
            }
        } else {
            ResponseBody.FileRegion file = (ResponseBody.FileRegion) next;
            long left = file.count() - stream.fileOffset;
            count = (int) Math.min(allowed, left);
            endStream = lastItem && count == left;
            // Read next to its header: frames of many streams then leave in one write, where a sendfile per
            // 16 KiB frame measured half as fast (bench/h2.py, 64 KiB files).
            ByteBuffer out = room(FrameWriter.HEADER_LENGTH + count);
            int start = out.position();
            FrameWriter.dataHeader(out, stream.id, count, endStream);
            try {
                readFully(file, file.position() + stream.fileOffset, out, count);
            } catch (IOException e) {
                out.position(start);
                ends.fileFailed(stream, e);
                return Framed.FAILED;
            }
            stream.fileOffset += count;
            if (stream.fileOffset == file.count()) {
                stream.sending.poll();
                stream.fileOffset = 0;
            }
        }
        stream.sendWindow -= count;
        sendWindow -= count;
        stream.framed += count;
        if (stream.exchange != null && stream.exchange.response() != null) {
            stream.exchange.response().onWritten();
        }
        if (endStream) {
            ends.endFramed(stream);
            return Framed.DONE;
        }
        return stream.sending.isEmpty() && !stream.responseComplete ? Framed.DONE : Framed.MORE;
    }

    private static void readFully(ResponseBody.FileRegion file, long position, ByteBuffer into, int count) throws IOException {
        int end = into.position() + count;
        ByteBuffer target = into.duplicate().limit(end);
        while (target.hasRemaining()) {
            if (file.channel().read(target, position + target.position() - into.position()) < 0) {
                throw new IOException("File shrank while being sent");
            }
        }
        into.position(end);
    }

    @Override
    public String toString() {
        return "HTTP/2 output to " + wire;
    }
}
