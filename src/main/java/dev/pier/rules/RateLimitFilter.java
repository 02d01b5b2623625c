package dev.pier.rules;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.ExchangeFilter;
import dev.pier.handler.HttpExchange;
import dev.pier.http.HttpResponse;
import dev.pier.http.PathPattern;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Limits the request rate per client address ({@link HttpExchange#clientAddress()}) and path
 * pattern with a token bucket, as nginx's {@code limit_req … burst=… nodelay}: requests beyond the
 * bucket are refused at once with 429 and {@code Retry-After}, never delayed. The first
 * {@link Limit} whose paths cover a request applies, and no other.
 *
 * <p><b>The bucket.</b> A client starts with a full bucket of one second's worth of the rate (at
 * least one token) plus {@code burst}; each request takes one token; tokens come back at the
 * rate. So {@code 5/s} with a burst of 5 lets 10 requests through at once, then one every 200 ms,
 * and the 11th within a second is refused. nginx's {@code limit_req} would let 6 through at once
 * (the burst and one); its steady rate is the same. {@code Retry-After} is the whole seconds until
 * a token is back, at least 1.
 *
 * <p><b>Bounded memory.</b> Each limit remembers at most {@code maxClients} addresses, least
 * recently seen forgotten first, in 16 stripes (each an LRU of a sixteenth) so threads rarely wait
 * for one another. A forgotten client comes back with a full bucket: under a flood of distinct
 * addresses larger than the bound, a client may get more than its rate. Each entry is a few dozen
 * bytes, so the default bound of 100,000 holds some megabytes.
 *
 * <p>Filters run on several event loops and workers at once: a stripe is locked for the few
 * arithmetic steps of one decision; the count of refusals is a {@link LongAdder}.
 */
public final class RateLimitFilter implements ExchangeFilter {

    public static final int DEFAULT_MAX_CLIENTS = 100_000;

    private static final int STRIPES = 16;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Monotonic time in nanoseconds, as {@link System#nanoTime()}; a fake one in tests. */
    @FunctionalInterface
    public interface NanoClock {

        NanoClock SYSTEM = System::nanoTime;

        long nanoTime();
    }

    /**
     * Requests per second, written {@code 5/s} or {@code 30/m} (nginx's {@code 5r/s} too); a number
     * with a fraction ({@code 0.5/s}) is allowed.
     */
    public record Rate(double perSecond, String text) {

        private static final Pattern SYNTAX = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,9})?)\\s*r?/(s|m)");

        /** @throws IllegalArgumentException with a sentence for anything but {@code <number>/s} or {@code <number>/m} above zero */
        public static Rate parse(String text) {
            Matcher matcher = text == null ? null : SYNTAX.matcher(text.strip());
            if (matcher == null || !matcher.matches() || Double.parseDouble(matcher.group(1)) <= 0) {
                throw new IllegalArgumentException("A rate is a number of requests above zero per second or per minute, such as 5/s or 30/m");
            }
            double count = Double.parseDouble(matcher.group(1));
            return new Rate(matcher.group(2).equals("s") ? count : count / 60, text.strip());
        }
    }

    /** @param burst requests a client may make at once beyond one second's worth of the rate; 0 or more */
    public record Limit(List<PathPattern> paths, Rate rate, int burst) {

        public Limit {
            paths = List.copyOf(paths);
            if (paths.isEmpty() || burst < 0) {
                throw new IllegalArgumentException("A rate limit needs paths and a burst of 0 or more");
            }
        }

        double capacity() {
            return Math.max(1, rate.perSecond()) + burst;
        }
    }

    /** One client's tokens; guarded by its stripe's lock. */
    private static final class Bucket {

        double tokens;
        long updatedNanos;

        Bucket(double tokens, long updatedNanos) {
            this.tokens = tokens;
            this.updatedNanos = updatedNanos;
        }
    }

    /** One limit's buckets by client. */
    private static final class Buckets {

        final double capacity;
        final double tokensPerNano;
        final List<Map<InetAddress, Bucket>> stripes = new ArrayList<>();

        Buckets(Limit limit, int maxClients) {
            this.capacity = limit.capacity();
            this.tokensPerNano = limit.rate().perSecond() / NANOS_PER_SECOND;
            int count = Math.min(STRIPES, maxClients);
            int perStripe = maxClients / count;
            for (int i = 0; i < count; i++) {
                stripes.add(new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
                        return size() > perStripe;
                    }
                });
            }
        }

        /** Takes a token: 0 if there was one, else the nanoseconds until there is. */
        long take(InetAddress client, long now) {
            Map<InetAddress, Bucket> stripe = stripes.get(Math.floorMod(client.hashCode(), stripes.size()));
            synchronized (stripe) {
                Bucket bucket = stripe.get(client);
                if (bucket == null) {
                    bucket = new Bucket(capacity, now);
                    stripe.put(client, bucket);
                } else {
                    bucket.tokens = Math.min(capacity, bucket.tokens + Math.max(0, now - bucket.updatedNanos) * tokensPerNano);
                    bucket.updatedNanos = now;
                }
                if (bucket.tokens >= 1) {
                    bucket.tokens -= 1;
                    return 0;
                }
                return (long) Math.ceil((1 - bucket.tokens) / tokensPerNano);
            }
        }

        int size() {
            int size = 0;
            for (Map<InetAddress, Bucket> stripe : stripes) {
                synchronized (stripe) {
                    size += stripe.size();
                }
            }
            return size;
        }
    }

    private final List<Buckets> limits;
    private final List<PathSet> paths;
    private final NanoClock clock;
    private final LongAdder rejected;

    /**
     * @param maxClients addresses each limit remembers at most, 1 or more
     * @param rejected counts the requests refused, for the {@code pier.ratelimit.rejected} counter
     */
    public RateLimitFilter(List<Limit> limits, int maxClients, NanoClock clock, LongAdder rejected) {
        if (maxClients < 1) {
            throw new IllegalArgumentException("A rate limit must remember at least one client");
        }
        this.limits = limits.stream().map(limit -> new Buckets(limit, maxClients)).toList();
        this.paths = limits.stream().map(limit -> new PathSet(limit.paths())).toList();
        this.clock = clock;
        this.rejected = rejected;
    }

    @Override
    public void filter(HttpExchange exchange, Chain chain) throws Exception {
        int limit = PathSet.first(paths, exchange.request());
        if (limit >= 0) {
            long wait = limits.get(limit).take(exchange.clientAddress(), clock.nanoTime());
            if (wait > 0) {
                rejected.increment();
                exchange.respond(tooMany(exchange, retryAfterSeconds(wait)));
                return;
            }
        }
        chain.proceed(exchange);
    }

    /** Clients the limit at this index remembers now. */
    int remembered(int limit) {
        return limits.get(limit).size();
    }

    static long retryAfterSeconds(long waitNanos) {
        return Math.max(1, (waitNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }

    private static HttpResponse tooMany(HttpExchange exchange, long seconds) {
        HttpResponse error = ErrorResponses.of(429, "Too many requests from your address; try again in " + seconds
                + (seconds == 1 ? " second." : " seconds."), exchange.request());
        return error.withHeader("Retry-After", Long.toString(seconds));
    }
}
