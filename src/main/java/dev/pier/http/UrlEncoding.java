package dev.pier.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Percent-decoding of paths (RFC 3986) and of query strings and form bodies (URL standard). */
public final class UrlEncoding {

    private UrlEncoding() {
    }

    /**
     * Decodes a path once, as UTF-8. Returns {@code null} for an invalid escape, invalid UTF-8 or
     * an encoded NUL, which no file name may hold.
     */
    public static String decodePath(String raw) {
        return decode(raw, false);
    }

    /**
     * Parses {@code a=1&b=x+y} into names and values, {@code +} meaning space.
     *
     * @throws HttpException 400 on an invalid escape
     */
    public static Map<String, List<String>> decodeForm(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decodeFormPart(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decodeFormPart(pair.substring(equals + 1));
            fields.computeIfAbsent(name, key -> new ArrayList<>(1)).add(value);
        }
        fields.replaceAll((name, values) -> Collections.unmodifiableList(values));
        return Collections.unmodifiableMap(fields);
    }

    private static String decodeFormPart(String part) {
        String decoded = decode(part, true);
        if (decoded == null) {
            throw new HttpException(400, "Invalid percent-encoding in form data");
        }
        return decoded;
    }

    private static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0)) {
            return raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 3);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0 || (high == 0 && low == 0)) {
                    return null;
                }
                bytes.put((byte) (high << 4 | low));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.put((byte) ' ');
            } else if (c < 0x80) {
                bytes.put((byte) c);
            } else {
                int codePoint = raw.codePointAt(i);
                bytes.put(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes.flip())
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
