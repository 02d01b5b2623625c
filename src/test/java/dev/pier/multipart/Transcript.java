package dev.pier.multipart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Feeds a form to a parser in given pieces and writes what the listener heard as text, one line an
 * event; a part's data is joined over all its {@code partData} calls, so any split of the same bytes
 * reads the same. A refusal ends the transcript as {@code error STATUS reason}.
 */
class Transcript implements MultipartParser.Listener {

    private final StringBuilder text = new StringBuilder();
    private boolean inData;

    /** The whole body in one buffer. */
    static String whole(String boundary, MultipartLimits limits, byte[] body) {
        return split(boundary, limits, body);
    }

    /** The body in pieces cut at the given offsets, ascending. */
    static String split(String boundary, MultipartLimits limits, byte[] body, int... cuts) {
        int[] offsets = new int[cuts.length + 2];
        System.arraycopy(cuts, 0, offsets, 1, cuts.length);
        offsets[cuts.length + 1] = body.length;
        return feed(boundary, limits, body, offsets);
    }

    /** The body one byte a buffer. */
    static String byteByByte(String boundary, MultipartLimits limits, byte[] body) {
        int[] offsets = new int[body.length + 1];
        Arrays.setAll(offsets, i -> i);
        return feed(boundary, limits, body, offsets);
    }

    /** Feeds {@code body[offsets[i], offsets[i + 1])} one after the other, each in a buffer of its own, then ends. */
    private static String feed(String boundary, MultipartLimits limits, byte[] body, int[] offsets) {
        Transcript transcript = new Transcript();
        MultipartParser parser = new MultipartParser(boundary, limits, transcript);
        try {
            for (int i = 0; i + 1 < offsets.length; i++) {
                // The whole body stays behind the piece: a slice reaching past its position or limit would show.
                ByteBuffer piece = ByteBuffer.wrap(body, offsets[i], offsets[i + 1] - offsets[i]);
                parser.feed(piece);
                assertThat(piece.hasRemaining()).as("feed consumes every byte").isFalse();
            }
            parser.end();
        } catch (MultipartException e) {
            transcript.line("error " + e.status() + " " + e.reason());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return transcript.toString();
    }

    @Override
    public void partStarted(Part part) {
        line("part " + part.name() + " filename=" + part.filename() + " type=" + part.contentType());
    }

    @Override
    public void partData(ByteBuffer data) {
        assertThat(data.hasRemaining()).as("never an empty slice").isTrue();
        assertThat(data.isReadOnly()).as("a read-only view").isTrue();
        if (!inData) {
            text.append("data ");
            inData = true;
        }
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        text.append(new String(bytes, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n"));
    }

    @Override
    public void partEnded() {
        line("end");
    }

    @Override
    public void formEnded() {
        line("form end");
    }

    private void line(String event) {
        if (inData) {
            text.append('\n');
            inData = false;
        }
        text.append(event).append('\n');
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
