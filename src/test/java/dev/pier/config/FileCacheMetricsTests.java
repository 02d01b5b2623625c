package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.files.DocRoot;
import dev.pier.files.StaticFileHandler;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpVersion;
import dev.pier.http.RequestTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCacheMetricsTests {

    @TempDir
    Path site;

    @Test
    void whenASmallFileIsServedTwiceThenOneMissOneHitAndItsBytesAreCounted() throws IOException {
        Files.writeString(site.resolve("a.txt"), "0123456789");
        StaticFileHandler handler = new StaticFileHandler(new DocRoot(site, false));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new FileCacheMetrics(() -> handler).bindTo(registry);
        HttpRequest get = get("/a.txt");

        handler.handle(get).body().release();
        handler.handle(get).body().release();

        assertThat(registry.get("pier.files.cache.misses").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("pier.files.cache.hits").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("pier.files.cache.size").gauge().value()).isEqualTo(10);
        assertThat(registry.get("pier.files.cache.files").gauge().value()).isEqualTo(1);
        assertThat(registry.get("pier.files.gzip.cache.size").gauge().value()).isZero();
    }

    @Test
    void whenALargerFileIsServedThenItIsCountedAsKeptOpen() throws IOException {
        // Above the 32KB held in memory.
        Files.write(site.resolve("big.bin"), new byte[64 * 1024]);
        StaticFileHandler handler = new StaticFileHandler(new DocRoot(site, false));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new FileCacheMetrics(() -> handler).bindTo(registry);
        assertThat(registry.get("pier.files.open").gauge().value()).isZero();

        handler.handle(get("/big.bin")).body().release();

        assertThat(registry.get("pier.files.open").gauge().value()).isEqualTo(1);
        assertThat(registry.get("pier.files.cache.files").gauge().value()).isZero();
    }

    private static HttpRequest get(String path) {
        return new HttpRequest(HttpMethod.GET, new RequestTarget(path, path, null, path), HttpVersion.HTTP_1_1,
                HttpHeaders.builder().add("Host", "localhost").build(), null);
    }
}
