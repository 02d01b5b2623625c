package dev.pier.http1;

import dev.pier.http.HttpMethod;
import dev.pier.http.HttpVersion;
import dev.pier.http.ParserLimits;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/**
 * Property tests over generated input: random bytes never make the parser throw, and a request's
 * outcome never depends on how its bytes were split into reads.
 *
 * <p>Inputs come from a seeded {@link Random}: each run uses a new seed unless
 * {@code -Dpier.test.seed=<seed>} is given, and every failure message carries the seed and the run,
 * so a failure reproduces exactly.
 */
class RequestParserPropertiesTest {

    private static final long SEED = Long.getLong("pier.test.seed", System.nanoTime());
    private static final int RUNS = 1500;
    private static final int MAX_RANDOM_BYTES = 512;

    private static final Set<Integer> REJECTION_STATUSES = Set.of(400, 413, 414, 431, 501, 505);
    private static final String TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String PATH_CHARS = "-._~!$&'()*+,;=:@0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String QUERY_CHARS = PATH_CHARS + "/?%";
    private static final List<String> FRAGMENTS = List.of("GET ", "POST ", "OPTIONS ", "CONNECT ", "get ", "/", "/a", "*", "%", "%2",
            "%2F", "%zz", "%C3%A9", "?", "#", " ", "  ", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "\r\n", "\r\n\r\n", "\n", "\r", "\t", "\0",
            "Host: a", "Host:", ":", " : ", "X-A: b", "Content-Length: ", "Content-Length: 5", "Transfer-Encoding: chunked",
            "Transfer-Encoding: gzip, chunked", "0", "5", "10", "fffffffffffffffff", ";ext=1", "hello", "\u00e9");
    private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS, HttpMethod.TRACE);

    private final Random random = new Random(SEED);

    @Test
    void whenAnyBytesArriveInAnyPiecesThenTheParserAnswersTheSameWithoutThrowing() {
        for (int run = 0; run < RUNS; run++) {
            byte[] bytes = switch (run % 3) {
                case 0 -> randomBytes();
                case 1 -> httpFragments();
                default -> mutate(validRequests().bytes());
            };
            ParserLimits limits = random.nextBoolean() ? ParserLimits.DEFAULTS : RequestParserRejectionTest.SMALL;
            String context = context(run, bytes);

            ParserDriver driver = feed(context, () -> ParserDriver.whole(limits, bytes));
            String whole = driver.transcript();
            ParseResult last = driver.last();
            if (last instanceof ParseResult.Rejected rejected) {
                assertThat(rejected.status()).as(context).isIn(REJECTION_STATUSES);
                assertThat(rejected.reason()).as(context).isNotBlank();
            } else {
                assertThat(last).as(context).isInstanceOf(ParseResult.NeedMore.class);
            }
            assertSplitsAgree(context, limits, bytes, whole, run % 4 == 0);
        }
    }

    @Test
    void whenValidRequestsArriveInAnyPiecesThenTheyParseAsGenerated() {
        for (int run = 0; run < RUNS; run++) {
            Generated generated = validRequests();
            String context = context(run, generated.bytes());

            String whole = feed(context, () -> ParserDriver.whole(ParserLimits.DEFAULTS, generated.bytes())).transcript();
            assertThat(whole).as(context).isEqualTo(generated.transcript());
            assertSplitsAgree(context, ParserLimits.DEFAULTS, generated.bytes(), whole, run % 4 == 0);
        }
    }

    private void assertSplitsAgree(String context, ParserLimits limits, byte[] bytes, String whole, boolean byteByByte) {
        for (int attempt = 0; attempt < 3; attempt++) {
            int[] cuts = random.ints(1 + random.nextInt(4), 0, bytes.length + 1).sorted().toArray();
            assertThat(feed(context, () -> ParserDriver.split(limits, bytes, cuts)).transcript())
                    .as("%s split at %s", context, Arrays.toString(cuts)).isEqualTo(whole);
        }
        if (byteByByte) {
            assertThat(feed(context, () -> ParserDriver.byteByByte(limits, bytes)).transcript()).as("%s byte by byte", context).isEqualTo(whole);
        }
    }

    /** Runs a feeding, turning anything the parser throws into a failure that shows the input. */
    private static ParserDriver feed(String context, Supplier<ParserDriver> feeding) {
        try {
            return feeding.get();
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("Parser threw on " + context, e);
        }
    }

    private static String context(int run, byte[] bytes) {
        return "run " + run + " of seed " + SEED + " (-Dpier.test.seed=" + SEED + "), input \"" + ParserDriver.escape(bytes) + "\"";
    }

    // Generators of arbitrary input.

    private byte[] randomBytes() {
        byte[] bytes = new byte[random.nextInt(MAX_RANDOM_BYTES + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    private byte[] httpFragments() {
        StringBuilder text = new StringBuilder();
        int count = random.nextInt(60);
        for (int i = 0; i < count; i++) {
            text.append(random.nextInt(8) == 0 ? (char) random.nextInt(256) : pick(FRAGMENTS));
        }
        return ParserDriver.bytes(text.toString());
    }

    /** A valid request with a few bytes replaced, inserted or removed: input that gets deep before going wrong. */
    private byte[] mutate(byte[] valid) {
        List<Byte> bytes = new ArrayList<>(valid.length + 4);
        for (byte b : valid) {
            bytes.add(b);
        }
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            byte replacement = (byte) (random.nextBoolean() ? "\r\n :;\t\0%0".charAt(random.nextInt(9)) : random.nextInt(256));
            int at = random.nextInt(bytes.size() + 1);
            switch (random.nextInt(3)) {
                case 0 -> bytes.add(at, replacement);
                case 1 -> {
                    if (at < bytes.size()) {
                        bytes.remove(at);
                    }
                }
                default -> {
                    if (at < bytes.size()) {
                        bytes.set(at, replacement);
                    }
                }
            }
        }
        byte[] mutated = new byte[bytes.size()];
        for (int i = 0; i < mutated.length; i++) {
            mutated[i] = bytes.get(i);
        }
        return mutated;
    }

    // Generator of valid requests, with what the parser must make of them.

    record Generated(byte[] bytes, String transcript) {
    }

    /** One to three pipelined requests. */
    private Generated validRequests() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringBuilder transcript = new StringBuilder();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            validRequest(bytes, transcript);
        }
        return new Generated(bytes.toByteArray(), transcript.append("NeedMore, buffered ").toString());
    }

    private void validRequest(ByteArrayOutputStream out, StringBuilder transcript) {
        StringBuilder wire = new StringBuilder();
        for (int i = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0; i > 0; i--) {
            wire.append(eol());
        }
        HttpMethod method = pick(METHODS);
        HttpVersion version = random.nextInt(5) == 0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;

        String target;
        String decodedPath;
        String query = null;
        if (method == HttpMethod.OPTIONS && random.nextInt(3) == 0) {
            target = "*";
            decodedPath = "*";
        } else {
            StringBuilder rawPath = new StringBuilder();
            StringBuilder path = new StringBuilder();
            int segments = random.nextInt(5);
            for (int s = 0; s < segments; s++) {
                rawPath.append('/');
                path.append('/');
                pathSegment(rawPath, path);
            }
            if (segments == 0 || random.nextInt(5) == 0) {
                rawPath.append('/');
                path.append('/');
            }
            if (random.nextInt(3) == 0) {
                query = randomString(QUERY_CHARS, random.nextInt(20));
            }
            String authority = random.nextInt(8) == 0 ? pick(List.of("http://", "HTTPS://")) + "example.com:8080" : "";
            target = authority + rawPath + (query == null ? "" : "?" + query);
            decodedPath = path.toString();
        }
        wire.append(method).append(' ').append(target).append(' ').append(version).append(eol());

        List<String[]> fields = new ArrayList<>();
        if (version == HttpVersion.HTTP_1_1 || random.nextBoolean()) {
            fields.add(new String[] {random.nextBoolean() ? "Host" : "host", "example.com:8080"});
        }
        for (int f = random.nextInt(9); f > 0; f--) {
            fields.add(new String[] {fieldName(), fieldValue()});
        }
        byte[] body = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(300)];
        random.nextBytes(body);
        String chunkedBody = null;
        int framing = random.nextInt(3);
        if (framing == 1 || (framing == 2 && version == HttpVersion.HTTP_1_0)) {
            fields.add(random.nextInt(fields.size() + 1), new String[] {"Content-Length", Integer.toString(body.length)});
        } else if (framing == 2) {
            fields.add(random.nextInt(fields.size() + 1), new String[] {"Transfer-Encoding", random.nextBoolean() ? "chunked" : "Chunked"});
            chunkedBody = chunked(body);
        } else {
            body = new byte[0];
        }
        StringBuilder headers = new StringBuilder("[");
        for (String[] field : fields) {
            wire.append(field[0]).append(':').append(whitespace()).append(field[1]).append(whitespace()).append(eol());
            headers.append(headers.length() > 1 ? ", " : "").append(field[0]).append(": ").append(field[1]);
        }
        wire.append(eol());
        out.writeBytes(ParserDriver.bytes(wire.toString()));
        if (chunkedBody != null) {
            out.writeBytes(ParserDriver.bytes(chunkedBody));
        } else {
            out.writeBytes(body);
        }
        transcript.append(method).append(" raw=").append(target).append(" path=").append(decodedPath).append(" query=").append(query)
                .append(' ').append(version).append(' ').append(headers).append("] body=").append(ParserDriver.escape(body)).append('\n');
    }

    /** Appends a segment of safe characters and percent-encoded code points, raw and decoded. */
    private void pathSegment(StringBuilder raw, StringBuilder decoded) {
        for (int i = random.nextInt(8); i > 0; i--) {
            if (random.nextInt(4) > 0) {
                char c = PATH_CHARS.charAt(random.nextInt(PATH_CHARS.length()));
                raw.append(c);
                decoded.append(c);
                continue;
            }
            int codePoint;
            do {
                codePoint = random.nextBoolean() ? 1 + random.nextInt(0x7f) : 1 + random.nextInt(Character.MAX_CODE_POINT);
            } while (Character.getType(codePoint) == Character.SURROGATE);
            String character = new String(Character.toChars(codePoint));
            for (byte b : character.getBytes(StandardCharsets.UTF_8)) {
                String hex = String.format("%%%02X", b & 0xff);
                raw.append(random.nextBoolean() ? hex : hex.toLowerCase(Locale.ROOT));
            }
            decoded.append(character);
        }
    }

    /** A chunked encoding of {@code body}: random chunk sizes, hex case, leading zeros, extensions and trailers. */
    private String chunked(byte[] body) {
        StringBuilder chunked = new StringBuilder();
        for (int at = 0; at < body.length; ) {
            int size = Math.min(body.length - at, 1 + random.nextInt(60));
            String hex = "0".repeat(random.nextInt(3)) + Integer.toHexString(size);
            chunked.append(random.nextBoolean() ? hex : hex.toUpperCase(Locale.ROOT)).append(extension()).append("\r\n");
            chunked.append(new String(body, at, size, StandardCharsets.ISO_8859_1)).append("\r\n");
            at += size;
        }
        chunked.append("0").append(extension()).append("\r\n");
        for (int t = random.nextInt(3); t > 0; t--) {
            chunked.append(fieldName()).append(": ").append(fieldValue()).append("\r\n");
        }
        return chunked.append("\r\n").toString();
    }

    private String extension() {
        return switch (random.nextInt(4)) {
            case 0 -> ";" + randomString(TCHARS, 1 + random.nextInt(8));
            case 1 -> whitespace() + ";" + whitespace() + randomString(TCHARS, 1 + random.nextInt(8)) + "=\"" + fieldValue() + "\"";
            default -> "";
        };
    }

    private String fieldName() {
        String name;
        do {
            name = randomString(TCHARS, 1 + random.nextInt(16));
        } while (name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding"));
        return name;
    }

    /** Visible ASCII and obs-text, with inner spaces and tabs but none at either end. */
    private String fieldValue() {
        int length = random.nextInt(30);
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            boolean inner = i > 0 && i < length - 1;
            if (inner && random.nextInt(6) == 0) {
                value.append(random.nextBoolean() ? ' ' : '\t');
            } else if (random.nextInt(10) == 0) {
                value.append((char) (0x80 + random.nextInt(0x80)));
            } else {
                value.append((char) (0x21 + random.nextInt(0x7f - 0x21)));
            }
        }
        return value.toString();
    }

    private String whitespace() {
        return randomString(" \t", random.nextInt(3));
    }

    private String eol() {
        return random.nextInt(4) == 0 ? "\n" : "\r\n";
    }

    private String randomString(String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
