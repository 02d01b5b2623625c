package dev.pier.test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Bytes written out by hand, as the HTTP/2 tests build frames, header blocks and payloads. */
public final class Octets {

    private Octets() {
    }

    /** Bytes given as ints, so that 0xff needs no cast. */
    public static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
