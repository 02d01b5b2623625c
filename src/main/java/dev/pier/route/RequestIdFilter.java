package dev.pier.route;

import java.util.UUID;
import org.slf4j.MDC;

/**
 * Gives every routed request an id: the client's {@code X-Request-Id} when it sent a sensible one
 * (a proxy in front often does), else a new random one. The id is in the SLF4J MDC as
 * {@code requestId} while the route runs, so every log line of the request carries it, and goes
 * back in the response's {@code X-Request-Id}.
 */
public final class RequestIdFilter implements RouteFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";

    private static final int MAX_LENGTH = 200;

    @Override
    public Response filter(RouteRequest request, Chain next) throws Exception {
        String id = idOf(request.header(HEADER));
        String previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, id);
        try {
            return next.next(request).header(HEADER, id);
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
        if (sent != null && !sent.isEmpty() && sent.length() <= MAX_LENGTH && sent.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return sent;
        }
        return UUID.randomUUID().toString();
    }
}
