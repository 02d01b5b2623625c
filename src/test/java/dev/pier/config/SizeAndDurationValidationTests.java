package dev.pier.config;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

/**
 * Every {@link Duration} and {@link DataSize} key of {@code pier.*} is checked at binding: a
 * negative value, or zero where zero means nothing, stops startup with Boot's failure analysis
 * naming the key, the value and what is allowed, never with a stack trace from deeper down. The
 * keys are found by reflection, so a key added without a decision in {@link #RANGES} fails here.
 *
 * <p>Boot 4 validates the whole tree from {@link PierProperties} (nested records through
 * {@code @Valid}), so for a nested key its analysis prints the Java-cased path
 * ({@code pier.fileCache.maxFileSize}), the value as bound ({@code -1024B}, {@code PT-1S}) and no
 * origin; only top-level keys get the key as written and its property source.
 */
class SizeAndDurationValidationTests {

    /** What each key allows, as the failure analysis states it, and whether 0 means something there. */
    private static final Map<String, Range> RANGES = Map.ofEntries(
            entry("pier.limits.request-line", new Range(false, "must be between 16B and 2147483639B")),
            entry("pier.limits.header-bytes", new Range(false, "must be between 16B and 2147483639B")),
            entry("pier.limits.body", new Range(true, "must be between 0B and 2147483639B")),
            entry("pier.timeouts.header", new Range(false, "must be between 1ms and 106751d")),
            entry("pier.timeouts.keep-alive", new Range(false, "must be between 1ms and 106751d")),
            entry("pier.timeouts.body", new Range(false, "must be between 1ms and 106751d")),
            entry("pier.timeouts.send", new Range(false, "must be between 1ms and 106751d")),
            entry("pier.timeouts.response", new Range(false, "must be between 1ms and 106751d")),
            entry("pier.shutdown.delay", new Range(true, "must be at least 0s")),
            entry("pier.compression.min-size", new Range(true, "must be at least 0B")),
            entry("pier.compression.max-size", new Range(false, "must be at least 1B")),
            entry("pier.compression.cache-size", new Range(true, "must be at least 0B")),
            entry("pier.cors.max-age", new Range(true, "must be at least 0s")),
            entry("pier.file-cache.revalidate-after", new Range(true, "must be between 0s and 106751d")),
            entry("pier.file-cache.max-file-size", new Range(true, "must be between 0B and 2147483639B")),
            entry("pier.file-cache.size", new Range(true, "must be at least 0B")),
            entry("pier.http2.initial-window-size", new Range(false, "must be between 1B and 2147483647B")),
            entry("pier.http2.max-frame-size", new Range(false, "must be between 16KB and 16777215B")),
            entry("pier.http2.header-table-size", new Range(true, "must be between 0B and 1MB")),
            entry("pier.http2.abuse-window", new Range(false, "must be between 1ms and 106751d")),
            entry("pier.tls.session-timeout", new Range(false, "must be between 1s and 7d")),
            entry("pier.maintenance.retry-after", new Range(true, "must be between 0s and 106751d")));

    @TempDir
    Path site;

    private ApplicationContextRunner runner;

    @BeforeEach
    void createRunner() {
        runner = PierContextRunner.over(site, 1).withConfiguration(AutoConfigurations.of(PierAutoConfiguration.class, MaintenanceAutoConfiguration.class));
    }

    @Test
    void whenDurationAndSizeKeysAreFoundThenEachHasItsRangeDecided() {
        assertThat(durationAndSizeKeys()).extracting(Key::name)
                .as("Duration and DataSize keys of PierProperties and HttpsProperties; give each an @InRange and a row in RANGES")
                .containsExactlyInAnyOrderElementsOf(RANGES.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durationAndSizeKeys")
    void whenKeyIsNegativeThenStartupFailsNamingKeyValueAndRange(Key key) {
        String value = key.type() == Duration.class ? "-1s" : "-1KB";
        runner.withPropertyValues(key.name() + "=" + value)
                .run(context -> assertFailsNaming(context, key.reported(), key.bound(value), RANGES.get(key.name()).allowed()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durationAndSizeKeys")
    void whenKeyIsZeroThenOnlyKeysWhereZeroMeansSomethingStart(Key key) {
        String zero = key.type() == Duration.class ? "0s" : "0B";
        Range range = RANGES.get(key.name());
        runner.withPropertyValues(key.name() + "=" + zero).run(context -> {
            if (range.zeroAllowed()) {
                assertThat(context).hasNotFailed();
            } else {
                assertFailsNaming(context, key.reported(), key.bound(zero), range.allowed());
            }
        });
    }

    /** The examples of issue 12 and values too large for what the server does with them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            pier.timeouts.header=-1s              | pier.timeouts.header           | PT-1S       | must be between 1ms and 106751d
            pier.limits.body=-5MB                 | pier.limits.body               | -5242880B   | must be between 0B and 2147483639B
            pier.compression.max-size=-1KB        | pier.compression.maxSize       | -1024B      | must be at least 1B
            pier.file-cache.size=-1MB             | pier.fileCache.size            | -1048576B   | must be at least 0B
            pier.limits.body=3GB                  | pier.limits.body               | 3221225472B | must be between 0B and 2147483639B
            pier.limits.header-bytes=3GB          | pier.limits.headerBytes        | 3221225472B | must be between 16B and 2147483639B
            pier.file-cache.max-file-size=2GB     | pier.fileCache.maxFileSize     | 2147483648B | must be between 0B and 2147483639B
            pier.timeouts.keep-alive=106752d      | pier.timeouts.keepAlive        | PT2562048H  | must be between 1ms and 106751d
            pier.file-cache.revalidate-after=-1ms | pier.fileCache.revalidateAfter | PT-0.001S   | must be between 0s and 106751d
            """)
    void whenValueIsOutOfRangeThenStartupFailsWithBootsAnalysisNotAStackTrace(String setting, String reported, String bound, String allowed) {
        runner.withPropertyValues(setting).run(context -> assertFailsNaming(context, reported, bound, allowed));
    }

    @Test
    void whenLargestValuesAreSetThenTheyStart() {
        runner.withPropertyValues("pier.limits.request-line=2147483639B", "pier.limits.header-bytes=2147483639B",
                        "pier.limits.body=2147483639B", "pier.timeouts.send=106751d", "pier.file-cache.revalidate-after=106751d",
                        "pier.file-cache.max-file-size=2147483639B")
                .run(context -> assertThat(context).hasNotFailed());
    }

    /** Rules across two keys: Boot reports the rule as a property that is false, and its reason names both keys. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            pier.limits.request-line=64KB  | pier.limits.headerBytesAtLeastRequestLine | pier.limits.header-bytes must be at least pier.limits.request-line, as the request head includes the request line
            pier.compression.min-size=2MB  | pier.compression.minSizeAtMostMaxSize     | pier.compression.min-size must not exceed pier.compression.max-size
            """)
    void whenOneKeyPassesAnotherThenStartupFailsNamingBoth(String setting, String rule, String reason) {
        runner.withPropertyValues(setting).run(context -> assertFailsNaming(context, rule, "false", reason));
    }

    @Test
    void whenRequestLineEqualsHeaderBytesThenItStarts() {
        runner.withPropertyValues("pier.limits.request-line=16B", "pier.limits.header-bytes=16B")
                .run(context -> assertThat(context).hasNotFailed());
    }

    private static void assertFailsNaming(AssertableApplicationContext context, String reported, String bound, String allowed) {
        assertThat(context).hasFailed();
        assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(BindValidationException.class);
        FailureAnalysis analysis = PierAutoConfigurationTests.bootAnalysis(context.getStartupFailure());
        assertThat(analysis).as("Boot's own failure analysis").isNotNull();
        assertThat(analysis.getDescription())
                .contains("Property: " + reported + "\n")
                .contains("Value: \"" + bound + "\"")
                .contains("Reason: " + allowed);
        assertThat(analysis.getAction()).contains("Update your application's configuration");
    }

    /** Every Duration and DataSize component reachable from the records bound to {@code pier.*}, nested records included. */
    static List<Key> durationAndSizeKeys() {
        List<Key> keys = new ArrayList<>();
        for (Class<?> root : List.of(PierProperties.class, HttpsProperties.class, MaintenanceProperties.class)) {
            String prefix = root.getAnnotation(ConfigurationProperties.class).value();
            collect(root, prefix, prefix, keys);
        }
        return keys;
    }

    private static void collect(Class<?> record, String name, String reported, List<Key> keys) {
        for (RecordComponent component : record.getRecordComponents()) {
            String componentName = name + "." + DataObjectPropertyName.toDashedForm(component.getName());
            String componentReported = reported + "." + component.getName();
            if (component.getType() == Duration.class || component.getType() == DataSize.class) {
                keys.add(new Key(componentName, componentReported, component.getType()));
            } else if (component.getType().isRecord()) {
                collect(component.getType(), componentName, componentReported, keys);
            }
        }
    }

    /**
     * @param name the key as written, e.g. {@code pier.limits.header-bytes}
     * @param reported the key as Boot 4's failure analysis prints a record component, e.g. {@code pier.limits.headerBytes}
     * @param type {@link Duration} or {@link DataSize}
     */
    record Key(String name, String reported, Class<?> type) {

        /** How Boot's analysis prints this value once bound. */
        String bound(String value) {
            return (type == Duration.class ? DurationStyle.detectAndParse(value) : DataSize.parse(value)).toString();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * @param zeroAllowed whether 0 means something for this key, and so starts
     * @param allowed what the failure analysis gives as the reason
     */
    record Range(boolean zeroAllowed, String allowed) {
    }
}
