package dev.pier.examples;

import dev.pier.handler.HttpExchange;
import dev.pier.handler.StreamingHandler;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * answers with its length and SHA-256, computed on the way: memory stays flat whatever the size.
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
        Digest body = Digest.of(exchange.body().inputStream());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("bytes", body.bytes());
        answer.put("sha256", body.sha256());
        answer.put("parts", List.of());
        exchange.respond(HttpResponse.status(200).contentType("application/json").body(json.writeValueAsBytes(answer)).build());
    }

    /** Length and SHA-256 of what a stream holds, read to its end in one buffer's steps. */
    record Digest(long bytes, String sha256) {

        static Digest of(InputStream in) throws IOException {
            MessageDigest sha256;
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("Every JVM has SHA-256", e);
            }
            byte[] buffer = new byte[BUFFER];
            long total = 0;
            for (int read; (read = in.read(buffer)) >= 0; ) {
                sha256.update(buffer, 0, read);
                total += read;
            }
            return new Digest(total, HexFormat.of().formatHex(sha256.digest()));
        }
    }
}
