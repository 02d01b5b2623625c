package dev.pier.observe;

import dev.pier.handler.ExchangeFilter;
import dev.pier.handler.ForwardingExchange;
import dev.pier.handler.HttpExchange;
import dev.pier.handler.ResponseStream;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpResponse;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/**
 * Gives every exchange an id: the client's {@code X-Request-Id} when it sent a sensible one (a
 * proxy in front often does), else a new one made as nginx makes {@code $request_id} (16 random
 * bytes in hex). The id goes back in the response's {@code X-Request-Id}, so the access log
 * ({@code request_id}) and the client hold the same one, and is in the SLF4J MDC as
 * {@code requestId} while the handler runs on the filter's thread (routes carry it to their
 * workers).
 */
public final class RequestIdFilter implements ExchangeFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";

    private static final int MAX_LENGTH = 200;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public void filter(HttpExchange exchange, Chain chain) throws Exception {
        String id = idOf(exchange.request().header(HEADER));
        String previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, id);
        try {
            chain.proceed(new ForwardingExchange(exchange) {
                @Override
                public void respond(HttpResponse response) {
                    super.respond(response.withHeader(HEADER, id));
                }

                @Override
                public ResponseStream stream(int status, HttpHeaders headers) {
                    return super.stream(status, headers.toBuilder().set(HEADER, id).build());
                }
            });
        } finally {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }

    /** The client's id if it is 1–200 visible ASCII characters, else a new one: a log must not take whatever a client sends. */
    static String idOf(String sent) {
        return sent != null && !sent.isEmpty() && sent.length() <= MAX_LENGTH && visibleAscii(sent) ? sent : newId();
    }

    private static boolean visibleAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[32];
        long high = random.nextLong();
        long low = random.nextLong();
        for (int i = 0; i < 16; i++) {
            id[15 - i] = HEX[(int) (high >>> (4 * i)) & 0xf];
            id[31 - i] = HEX[(int) (low >>> (4 * i)) & 0xf];
        }
        return new String(id);
    }
}
