package dev.pier.examples;

import dev.pier.handler.HttpExchange;
import dev.pier.handler.ResponseStream;
import dev.pier.handler.StreamingHandler;
import dev.pier.http.HttpException;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * {@code GET /examples/numbers?count=N}: the lines {@code 1} to {@code N}, generated as they are
 * sent, with no length known in advance (a chunked response). Non-blocking: it runs on the event
 * loop and writes the next batch when the previous write's future completes, so however slow the
 * client, at most a few batches wait in memory.
 */
@Component
@Profile("examples")
@Order(0)
class NumbersHandler implements StreamingHandler {

    private static final int BATCH = 8 * 1024;
    private static final long MAX_COUNT = 1_000_000_000L;

    @Override
    public boolean accepts(HttpRequest request) {
        return (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) && request.path().equals("/examples/numbers");
    }

    @Override
    public boolean isBlocking() {
        return false;
    }

    @Override
    public String uriTemplate(HttpRequest request, int status) {
        return "/examples/numbers";
    }

    @Override
    public void handle(HttpExchange exchange) {
        long count = count(exchange.request());
        ResponseStream response = exchange.stream(200, HttpHeaders.builder().add("Content-Type", "text/plain;charset=utf-8").build());
        writeFrom(1, count, response);
    }

    private static void writeFrom(long next, long count, ResponseStream response) {
        if (next > count) {
            response.end();
            return;
        }
        StringBuilder lines = new StringBuilder(BATCH + 24);
        long i = next;
        while (i <= count && lines.length() < BATCH) {
            lines.append(i++).append('\n');
        }
        long from = i;
        // The client left: the future fails, and the chain stops there.
        response.write(ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.US_ASCII)))
                .thenRun(() -> writeFrom(from, count, response));
    }

    private static long count(HttpRequest request) {
        List<String> values = request.queryParameters().getOrDefault("count", List.of("10"));
        try {
            long count = Long.parseLong(values.get(0));
            if (count < 0 || count > MAX_COUNT) {
                throw new NumberFormatException();
            }
            return count;
        } catch (NumberFormatException e) {
            throw new HttpException(400, "count must be a whole number from 0 to " + MAX_COUNT);
        }
    }
}
