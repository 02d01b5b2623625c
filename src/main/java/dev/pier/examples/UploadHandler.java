package dev.pier.examples;

import dev.pier.handler.HttpExchange;
import dev.pier.handler.StreamingHandler;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.multipart.MultipartLimits;
import dev.pier.multipart.MultipartParser;
import dev.pier.multipart.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /examples/upload}: takes a body of any size as it streams in, on a worker, and
 * answers with its length and SHA-256 and, for a {@code multipart/form-data} form, those of each
 * part, computed on the way: memory stays flat whatever the size. A malformed form gets 400, one
 * past the limits of {@link MultipartLimits#DEFAULTS} 413.
 */
@Component
@Profile("examples")
@Order(0)
class UploadHandler implements StreamingHandler {

    private static final int BUFFER = 64 * 1024;

    private final JsonMapper json;

    UploadHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public boolean accepts(HttpRequest request) {
        return (request.method() == HttpMethod.POST || request.method() == HttpMethod.PUT) && request.path().equals("/examples/upload");
    }

    @Override
    public String uriTemplate(HttpRequest request, int status) {
        return "/examples/upload";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String contentType = exchange.request().header("Content-Type");
        boolean form = contentType != null && contentType.regionMatches(true, 0, "multipart/form-data", 0, "multipart/form-data".length());
        Digest body = new Digest();
        PartDigests parts = form ? new PartDigests() : null;
        MultipartParser parser = form ? new MultipartParser(MultipartParser.boundary(contentType), MultipartLimits.DEFAULTS, parts) : null;
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = exchange.body().inputStream()) {
            for (int read; (read = in.read(buffer)) >= 0; ) {
                body.update(buffer, 0, read);
                if (parser != null) {
                    parser.feed(ByteBuffer.wrap(buffer, 0, read));
                }
            }
        }
        if (parser != null) {
            parser.end();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("bytes", body.bytes);
        answer.put("sha256", body.hex());
        answer.put("parts", parts == null ? List.of() : parts.done);
        exchange.respond(HttpResponse.status(200).contentType("application/json").body(json.writeValueAsBytes(answer)).build());
    }

    /** Length and SHA-256 of what passes through, computed on the way. */
    private static final class Digest {

        private final MessageDigest sha256;
        private long bytes;

        Digest() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("Every JVM has SHA-256", e);
            }
        }

        void update(byte[] data, int offset, int length) {
            sha256.update(data, offset, length);
            bytes += length;
        }

        void update(ByteBuffer data) {
            bytes += data.remaining();
            sha256.update(data);
        }

        String hex() {
            return HexFormat.of().formatHex(sha256.digest());
        }
    }

    /** One entry per part of a form, fields included: its name, file name, length and SHA-256. */
    private static final class PartDigests implements MultipartParser.Listener {

        private final List<Map<String, Object>> done = new ArrayList<>();
        private Part part;
        private Digest digest;

        @Override
        public void partStarted(Part started) {
            part = started;
            digest = new Digest();
        }

        @Override
        public void partData(ByteBuffer data) {
            digest.update(data);
        }

        @Override
        public void partEnded() {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", part.name());
            entry.put("filename", part.filename());
            entry.put("bytes", digest.bytes);
            entry.put("sha256", digest.hex());
            done.add(entry);
        }

        @Override
        public void formEnded() {
        }
    }
}
