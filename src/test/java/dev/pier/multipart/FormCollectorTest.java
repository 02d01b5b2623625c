package dev.pier.multipart;

import static dev.pier.multipart.Forms.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fields as text, files in memory or spooled to a temporary file, and every temporary file gone after close. */
class FormCollectorTest {

    private static final int THRESHOLD = 16 * 1024;

    @TempDir
    Path uploads;

    @Test
    void whenChromiumSendsAFormThenFieldsAreTextAndSmallFilesStayInMemory() throws IOException {
        try (FormCollector form = new FormCollector(uploads, THRESHOLD)) {
            parse(form, Forms.CHROMIUM_BOUNDARY, Forms.chromiumForm(), 7);
            assertThat(form.field("title")).isEqualTo("Grüße, \"Pier\"");
            assertThat(form.fields()).extracting(FormField::name).containsExactly("title");
            assertThat(form.files()).extracting(UploadedFile::name).containsExactly("avatar", "attachment");

            UploadedFile avatar = form.file("avatar");
            assertThat(avatar.size()).isEqualTo(Forms.PNG_LIKE.length);
            assertThat(avatar.path()).isNull();
            assertThat(avatar.part().contentType()).isEqualTo("image/png");
            assertThat(avatar.part().safeFilename()).isEqualTo("%22quoted%22 naïve.png");
            try (InputStream in = avatar.inputStream()) {
                assertThat(in.readAllBytes()).isEqualTo(Forms.PNG_LIKE);
            }

            UploadedFile empty = form.file("attachment");
            assertThat(empty.size()).isZero();
            assertThat(empty.part().filename()).isEmpty();
            assertThat(form.file("missing")).isNull();
            assertThat(form.field("missing")).isNull();
            assertThat(uploads).isEmptyDirectory();
        }
    }

    @Test
    void whenAFileIsLargerThanTheThresholdThenItIsSpooledAndDeletedOnClose() throws IOException {
        byte[] large = random(1024 * 1024 + 17);
        byte[] atThreshold = random(THRESHOLD);
        byte[] body = concat("--bd\r\nContent-Disposition: form-data; name=\"large\"; filename=\"large.bin\"\r\n\r\n", large,
                "\r\n--bd\r\nContent-Disposition: form-data; name=\"small\"; filename=\"small.bin\"\r\n\r\n", atThreshold,
                "\r\n--bd\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--bd--\r\n");
        FormCollector form = new FormCollector(uploads, THRESHOLD);
        parse(form, "bd", body, 65536);

        UploadedFile spooled = form.file("large");
        assertThat(spooled.size()).isEqualTo(large.length);
        assertThat(spooled.path()).isNotNull().hasParent(uploads).exists();
        assertThat(spooled.path().getFileName().toString()).startsWith("pier-upload-").endsWith(".part");
        assertThat(sha256(spooled)).isEqualTo(sha256(large));
        assertThat(sha256(spooled)).as("each stream reads from the start").isEqualTo(sha256(large));

        UploadedFile inMemory = form.file("small");
        assertThat(inMemory.path()).as("a file at the threshold stays in memory").isNull();
        assertThat(sha256(inMemory)).isEqualTo(sha256(atThreshold));
        assertThat(form.field("note")).isEqualTo("hello");
        try (var files = Files.list(uploads)) {
            assertThat(files).containsExactly(spooled.path());
        }

        form.close();
        assertThat(uploads).isEmptyDirectory();
        form.close();
        assertThatIllegalStateException().isThrownBy(form::files);
    }

    @Test
    void whenFedInBuffersOfAnySizeThenTheSpooledContentIsTheSame() throws IOException {
        byte[] content = random(300_000);
        byte[] body = concat("--bd\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f\"\r\n\r\n", content, "\r\n--bd--");
        Random sizes = new Random(13);
        try (FormCollector form = new FormCollector(uploads, THRESHOLD)) {
            MultipartParser parser = new MultipartParser("bd", MultipartLimits.DEFAULTS, form);
            for (int offset = 0; offset < body.length; ) {
                int size = Math.min(body.length - offset, 1 + sizes.nextInt(sizes.nextBoolean() ? 16 : 65536));
                parser.feed(ByteBuffer.wrap(body, offset, size));
                offset += size;
            }
            parser.end();
            assertThat(sha256(form.file("f"))).isEqualTo(sha256(content));
        }
        assertThat(uploads).isEmptyDirectory();
    }

    @Test
    void whenTheParserFailsMidPartThenClosingDeletesThatPartsTemporaryFileToo() throws IOException {
        byte[] body = concat("--bd\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a\"\r\n\r\n", random(100_000),
                "\r\n--bd\r\nContent-Disposition: form-data; name=\"b\"; filename=\"b\"\r\n\r\n", random(100_000));
        FormCollector form = new FormCollector(uploads, THRESHOLD);
        MultipartParser parser = new MultipartParser("bd", MultipartLimits.DEFAULTS, form);
        parser.feed(ByteBuffer.wrap(body));
        try (var files = Files.list(uploads)) {
            assertThat(files).as("the finished part's file and the cut one's").hasSize(2);
        }
        assertThatExceptionOfType(MultipartException.class).isThrownBy(parser::end).withMessage("Part without end");
        assertThatIllegalStateException().isThrownBy(form::files).withMessage("The form has not ended");

        form.close();
        assertThat(uploads).isEmptyDirectory();
    }

    @Test
    void whenAFileExceedsItsLimitWhileSpoolingThenNothingIsLeftOnDisk() throws IOException {
        MultipartLimits limits = new MultipartLimits(10, 1024, 100, 100, 50_000, MultipartLimits.UNBOUNDED);
        byte[] body = concat("--bd\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a\"\r\n\r\n", random(60_000), "\r\n--bd--");
        try (FormCollector form = new FormCollector(uploads, THRESHOLD)) {
            MultipartParser parser = new MultipartParser("bd", limits, form);
            assertThatExceptionOfType(MultipartException.class)
                    .isThrownBy(() -> {
                        for (int offset = 0; offset < body.length; offset += 4096) {
                            parser.feed(ByteBuffer.wrap(body, offset, Math.min(4096, body.length - offset)));
                        }
                    })
                    .satisfies(e -> assertThat(e.status()).isEqualTo(413))
                    .withMessage("File too large");
            try (var files = Files.list(uploads)) {
                assertThat(files).as("the part's file, until close").hasSize(1);
            }
        }
        assertThat(uploads).isEmptyDirectory();
    }

    @Test
    void whenTheCollectorIsClosedThenItTakesNoMoreParts() throws IOException {
        FormCollector form = new FormCollector(uploads, THRESHOLD);
        form.close();
        MultipartParser parser = new MultipartParser("bd", MultipartLimits.DEFAULTS, form);
        assertThatIllegalStateException()
                .isThrownBy(() -> parser.feed(ByteBuffer.wrap(concat("--bd\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"))));
    }

    private static void parse(FormCollector form, String boundary, byte[] body, int bufferSize) throws IOException {
        MultipartParser parser = new MultipartParser(boundary, MultipartLimits.DEFAULTS, form);
        for (int offset = 0; offset < body.length; offset += bufferSize) {
            parser.feed(ByteBuffer.wrap(body, offset, Math.min(bufferSize, body.length - offset)));
        }
        parser.end();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(UploadedFile file) throws IOException {
        try (InputStream in = file.inputStream()) {
            return sha256(in.readAllBytes());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
