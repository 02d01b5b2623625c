package dev.pier.config;

import dev.pier.files.StaticFileHandler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/** The static file handler's memory: small-file cache hits, misses and size, and gzip cache size, read at scrape time. */
final class FileCacheMetrics implements MeterBinder {

    private final StaticFileHandler files;

    FileCacheMetrics(StaticFileHandler files) {
        this.files = files;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("pier.files.cache.hits", files, handler -> handler.cacheStats().hits())
                .description("Small-file requests answered from memory").register(registry);
        FunctionCounter.builder("pier.files.cache.misses", files, handler -> handler.cacheStats().misses())
                .description("Small-file requests that read the file from disk").register(registry);
        Gauge.builder("pier.files.cache.size", files, handler -> handler.cacheStats().bytes()).baseUnit(BaseUnits.BYTES)
                .description("Bytes of small files held in memory").register(registry);
        Gauge.builder("pier.files.cache.files", files, handler -> handler.cacheStats().files())
                .description("Small files held in memory").register(registry);
        Gauge.builder("pier.files.gzip.cache.size", files, handler -> handler.cacheStats().gzipBytes()).baseUnit(BaseUnits.BYTES)
                .description("Bytes of gzipped files held in memory").register(registry);
        Gauge.builder("pier.files.open", files, handler -> handler.cacheStats().openFiles())
                .description("Larger files kept open between requests").register(registry);
    }
}
