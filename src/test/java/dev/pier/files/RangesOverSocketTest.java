package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.server.RawClient;
import dev.pier.server.RawResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Range requests over a real socket (RFC 9110 §14): single, multipart, unsatisfiable, If-Range, limits. */
@Timeout(20)
class RangesOverSocketTest {

    private static final Instant MODIFIED = Instant.parse("2024-05-06T07:08:09Z");
    private static final String LAST_MODIFIED = "Mon, 06 May 2024 07:08:09 GMT";

    @TempDir
    Path root;

    /** 1000 letters: byte i is 'a' + i % 26. */
    private String letters;
    private byte[] large;
    private FileServer server;
    private String etag;

    @BeforeEach
    void startServer() throws IOException {
        letters = IntStream.range(0, 1000).mapToObj(i -> String.valueOf((char) ('a' + i % 26))).collect(Collectors.joining());
        write("letters.txt", letters.getBytes(StandardCharsets.US_ASCII));
        large = new byte[3 * 1024 * 1024];
        new Random(3).nextBytes(large);
        write("large.bin", large);
        write("empty.txt", new byte[0]);
        server = FileServer.start(root, StaticFileSettings.DEFAULTS);
        etag = server.get("/letters.txt").header("ETag");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void whenWholeFileThenAcceptRangesBytes() throws IOException {
        assertThat(server.get("/letters.txt").header("Accept-Ranges")).isEqualTo("bytes");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            bytes=0-0         | 0   | 0
            bytes=0-9         | 0   | 9
            bytes=990-        | 990 | 999
            bytes=-10         | 990 | 999
            bytes=-5000       | 0   | 999
            bytes=995-2000    | 995 | 999
            bytes=999-999     | 999 | 999
            'bytes=10-19, 15-29' | 10 | 29
            bytes=0-0,1-1,2-2 | 0   | 2
            """)
    void whenOneRangeIsSatisfiableThen206WithContentRangeAndThoseBytes(String range, int first, int last) throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(FileServer.request("GET", "/letters.txt", "Range: " + range)).read();
            RawResponse next = client.send(RawClient.get("/letters.txt")).read();

            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 206 Partial Content");
            assertThat(response.header("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/1000");
            assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(last - first + 1));
            assertThat(response.header("Content-Type")).isEqualTo("text/plain;charset=utf-8");
            assertThat(response.header("ETag")).isEqualTo(etag);
            assertThat(response.header("Last-Modified")).isEqualTo(LAST_MODIFIED);
            assertThat(response.bodyText()).isEqualTo(letters.substring(first, last + 1));
            assertThat(next.status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"bytes=-0", "bytes=1000-", "bytes=1000-1000", "bytes=5000-6000, 1000-"})
    void whenNoRangeIsSatisfiableThen416WithTheLength(String range) throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send(FileServer.request("GET", "/letters.txt", "Range: " + range)).read();
            RawResponse next = client.send(RawClient.get("/letters.txt")).read();

            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 416 Range Not Satisfiable");
            assertThat(response.header("Content-Range")).isEqualTo("bytes */1000");
            assertThat(response.bodyText()).contains("416");
            assertThat(next.status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"bytes=5-2", "bytes=0-1,5-2", "bytes=abc", "lines=0-1", "bytes=", "bytes 0-1"})
    void whenRangeIsInvalidThenIgnoredAndTheWholeFileSent(String range) throws IOException {
        RawResponse response = server.get("/letters.txt", "Range: " + range);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Range")).isNull();
        assertThat(response.bodyText()).isEqualTo(letters);
    }

    @Test
    void whenSeveralRangesThenMultipartByterangesWithEachPart() throws IOException {
        RawResponse response = server.get("/letters.txt", "Range: bytes=500-509, 0-4, -3");

        assertThat(response.status()).isEqualTo(206);
        assertThat(response.header("Content-Range")).isNull();
        String contentType = response.header("Content-Type");
        assertThat(contentType).startsWith("multipart/byteranges; boundary=");
        List<Part> parts = parseMultipart(response.bodyText(), contentType.substring(contentType.indexOf('=') + 1));
        assertThat(parts).extracting(Part::contentRange).containsExactly("bytes 0-4/1000", "bytes 500-509/1000", "bytes 997-999/1000");
        assertThat(parts).extracting(Part::contentType).containsOnly("text/plain;charset=utf-8");
        assertThat(parts).extracting(Part::content).containsExactly(letters.substring(0, 5), letters.substring(500, 510), letters.substring(997));
        assertThat(Integer.parseInt(response.header("Content-Length"))).isEqualTo(response.body().length);
    }

    @Test
    void whenLargeFileHasSeveralRangesThenEachPartIsSentFromTheFileIntact() throws IOException {
        int mib = 1024 * 1024;
        try (RawClient client = RawClient.connectWithReceiveBuffer(server.port(), 16 * 1024)) {
            RawResponse response = client.send(FileServer.request("GET", "/large.bin", "Range: bytes=0-" + (mib - 1) + "," + (2 * mib) + "-")).read();
            RawResponse next = client.send(RawClient.get("/letters.txt")).read();

            assertThat(response.status()).isEqualTo(206);
            byte[] body = response.body();
            String text = new String(body, StandardCharsets.ISO_8859_1);
            int firstStart = text.indexOf("\r\n\r\n") + 4;
            assertThat(Arrays.copyOfRange(body, firstStart, firstStart + mib)).isEqualTo(Arrays.copyOfRange(large, 0, mib));
            int secondStart = text.indexOf("\r\n\r\n", firstStart + mib) + 4;
            assertThat(text.substring(firstStart + mib, secondStart)).contains("Content-Range: bytes " + 2 * mib + "-" + (3 * mib - 1) + "/" + 3 * mib);
            assertThat(Arrays.copyOfRange(body, secondStart, secondStart + mib)).isEqualTo(Arrays.copyOfRange(large, 2 * mib, 3 * mib));
            assertThat(next.bodyText()).isEqualTo(letters);
        }
    }

    @Test
    void whenMoreRangesThanTheCapThenTheWholeFile() throws IOException {
        String seventeen = IntStream.range(0, 17).mapToObj(i -> i * 50 + "-" + i * 50).collect(Collectors.joining(","));

        RawResponse response = server.get("/letters.txt", "Range: bytes=" + seventeen);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo(letters);
    }

    @Test
    void whenManyOverlappingRangesThenOneCoalescedPartNotAnAmplifiedAnswer() throws IOException {
        String sixteen = IntStream.range(0, 16).mapToObj(i -> "0-").collect(Collectors.joining(","));

        RawResponse response = server.get("/letters.txt", "Range: bytes=" + sixteen);

        assertThat(response.status()).isEqualTo(206);
        assertThat(response.header("Content-Range")).isEqualTo("bytes 0-999/1000");
        assertThat(response.body()).hasSize(1000);
    }

    @ParameterizedTest(name = "[{index}] If-Range: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ETAG                            | 206
            W/ETAG                          | 200
            "other"                         | 200
            Mon, 06 May 2024 07:08:09 GMT   | 206
            Mon, 06 May 2024 07:08:10 GMT   | 200
            Mon, 06 May 2024 07:08:08 GMT   | 200
            not a validator                 | 200
            """)
    void whenIfRangeThenRangeOnlyIfStrongTagOrExactDateMatch(String ifRange, int status) throws IOException {
        RawResponse response = server.get("/letters.txt", "Range: bytes=0-9", "If-Range: " + ifRange.replace("ETAG", etag));

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.bodyText()).isEqualTo(status == 206 ? letters.substring(0, 10) : letters);
    }

    @Test
    void whenRangeOnHeadThenIgnored() throws IOException {
        RawResponse response = server.exchange("HEAD", "/letters.txt", "Range: bytes=0-9");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Length")).isEqualTo("1000");
        assertThat(response.header("Content-Range")).isNull();
    }

    @Test
    void whenRangeWithAcceptEncodingThenRangeOfTheFileItselfNeverCompressed() throws IOException {
        RawResponse response = server.get("/letters.txt", "Range: bytes=0-9", "Accept-Encoding: gzip, br");

        assertThat(response.status()).isEqualTo(206);
        assertThat(response.header("Content-Encoding")).isNull();
        assertThat(response.header("ETag")).isEqualTo(etag);
        assertThat(response.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(response.bodyText()).isEqualTo(letters.substring(0, 10));
    }

    @Test
    void whenRangeAndIfNoneMatchMatchesThenPreconditionsComeFirst() throws IOException {
        assertThat(server.get("/letters.txt", "Range: bytes=0-9", "If-None-Match: " + etag).status()).isEqualTo(304);
        assertThat(server.get("/letters.txt", "Range: bytes=0-9", "If-Match: \"other\"").status()).isEqualTo(412);
    }

    @Test
    void whenFileIsEmptyThenRangeIgnored() throws IOException {
        RawResponse response = server.get("/empty.txt", "Range: bytes=0-0");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Length")).isEqualTo("0");
    }

    @Test
    void whenRangesAreTurnedOffThenNoAcceptRangesAndTheWholeFile() throws IOException {
        try (FileServer noRanges = FileServer.start(root, StaticFileSettings.DEFAULTS.withMaxRanges(0))) {
            RawResponse response = noRanges.get("/letters.txt", "Range: bytes=0-9");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Accept-Ranges")).isNull();
            assertThat(response.bodyText()).isEqualTo(letters);
        }
    }

    @Test
    void whenOnlySingleRangesAreAllowedThenSeveralGetTheWholeFile() throws IOException {
        try (FileServer single = FileServer.start(root, StaticFileSettings.DEFAULTS.withMaxRanges(1))) {
            assertThat(single.get("/letters.txt", "Range: bytes=0-9").status()).isEqualTo(206);
            assertThat(single.get("/letters.txt", "Range: bytes=0-9,500-509").status()).isEqualTo(200);
        }
    }

    private record Part(String contentType, String contentRange, String content) {
    }

    /** Splits a multipart/byteranges body by its boundary, checking the framing RFC 2046 asks for. */
    private static List<Part> parseMultipart(String body, String boundary) {
        assertThat(body).startsWith("--" + boundary + "\r\n").endsWith("\r\n--" + boundary + "--\r\n");
        String inner = body.substring(0, body.length() - ("\r\n--" + boundary + "--\r\n").length());
        List<Part> parts = new ArrayList<>();
        Pattern head = Pattern.compile("Content-Type: (.*)\r\nContent-Range: (.*)\r\n\r\n");
        for (String section : inner.split("(\r\n)?--" + Pattern.quote(boundary) + "\r\n")) {
            if (section.isEmpty()) {
                continue;
            }
            Matcher matcher = head.matcher(section);
            assertThat(matcher.lookingAt()).as("part head in %s", section).isTrue();
            parts.add(new Part(matcher.group(1), matcher.group(2), section.substring(matcher.end())));
        }
        return parts;
    }

    private void write(String name, byte[] content) throws IOException {
        Path file = Files.write(root.resolve(name), content);
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
    }
}
