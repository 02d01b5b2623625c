package dev.pier.http2;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Feeds a {@link FrameParser} the way a session does: each read is parsed as it comes, a stream
 * error is written down and parsing goes on, a connection error ends the feeding. The parser
 * consumes every byte it is given, so nothing is kept between reads here.
 */
final class FrameDriver {

    private final FrameParser parser;
    private final FrameRecorder recorder = new FrameRecorder();
    private boolean failed;

    FrameDriver(FrameParser parser) {
        this.parser = parser;
    }

    static FrameDriver whole(byte[] bytes) {
        return new FrameDriver(new FrameParser()).feed(bytes, 0, bytes.length);
    }

    /** Parses {@code bytes} in reads that end at each of the ascending {@code cuts}, then the rest. */
    static FrameDriver split(byte[] bytes, int... cuts) {
        FrameDriver driver = new FrameDriver(new FrameParser());
        int from = 0;
        for (int cut : cuts) {
            driver.feed(bytes, from, cut);
            from = cut;
        }
        return driver.feed(bytes, from, bytes.length);
    }

    static FrameDriver byteByByte(byte[] bytes) {
        FrameDriver driver = new FrameDriver(new FrameParser());
        for (int i = 0; i < bytes.length; i++) {
            driver.feed(bytes, i, i + 1);
        }
        return driver;
    }

    FrameDriver feed(byte[] bytes, int from, int to) {
        if (failed) {
            return this;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        while (true) {
            try {
                parser.parse(in, recorder);
                break;
            } catch (Http2Exception e) {
                recorder.add(e.toString());
                if (e.isConnectionError()) {
                    failed = true;
                    return this;
                }
            }
        }
        if (in.hasRemaining()) {
            throw new AssertionError("The parser left " + in.remaining() + " bytes");
        }
        return this;
    }

    List<String> events() {
        return recorder.events();
    }

    FrameRecorder recorder() {
        return recorder;
    }
}
