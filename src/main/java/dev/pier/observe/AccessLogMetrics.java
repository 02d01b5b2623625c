package dev.pier.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** Access log lines dropped because its writer fell behind the traffic: {@code pier_accesslog_dropped_total}. */
public final class AccessLogMetrics implements MeterBinder {

    private final AccessLog accessLog;

    public AccessLogMetrics(AccessLog accessLog) {
        this.accessLog = accessLog;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("pier.accesslog.dropped", accessLog, AccessLog::dropped)
                .description("Access log lines dropped because too many were waiting to be written")
                .register(registry);
    }
}
