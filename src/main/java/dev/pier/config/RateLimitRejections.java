package dev.pier.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code pier.ratelimit.rejected}: requests answered 429 by a rate limit. One adder outlives the
 * {@link dev.pier.rules.RateLimitFilter}s each reload builds, so the counter never goes back.
 */
final class RateLimitRejections implements MeterBinder {

    final LongAdder count = new LongAdder();

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("pier.ratelimit.rejected", count, LongAdder::sum)
                .description("Requests refused with 429 because their client address exceeded a pier.rate-limits entry")
                .register(registry);
    }
}
