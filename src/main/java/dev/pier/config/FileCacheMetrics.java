package dev.pier.config;

import dev.pier.files.StaticFileHandler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Supplier;

/** The static file handler's memory: small-file cache hits, misses and size, and gzip cache size, read at scrape time. */
final class FileCacheMetrics implements MeterBinder {

    /** The static file handler being served, which a reload may replace. */
    private final Supplier<StaticFileHandler> files;

    FileCacheMetrics(Supplier<StaticFileHandler> files) {
        this.files = files;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("pier.files.cache.hits", files, current -> current.get().cacheStats().hits())
                .description("Small-file requests answered from memory").register(registry);
        FunctionCounter.builder("pier.files.cache.misses", files, current -> current.get().cacheStats().misses())
                .description("Small-file requests that read the file from disk").register(registry);
        Gauge.builder("pier.files.cache.size", files, current -> current.get().cacheStats().bytes()).baseUnit(BaseUnits.BYTES)
                .description("Bytes of small files held in memory").register(registry);
        Gauge.builder("pier.files.cache.files", files, current -> current.get().cacheStats().files())
                .description("Small files held in memory").register(registry);
        Gauge.builder("pier.files.gzip.cache.size", files, current -> current.get().cacheStats().gzipBytes()).baseUnit(BaseUnits.BYTES)
                .description("Bytes of gzipped files held in memory").register(registry);
        Gauge.builder("pier.files.open", files, current -> current.get().cacheStats().openFiles())
                .description("Larger files kept open between requests").register(registry);
    }
}
