package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an IDE learns from {@code META-INF/spring-configuration-metadata.json}, generated from
 * {@link PierProperties}' javadoc and merged with {@code additional-spring-configuration-metadata.json}:
 * every {@code pier.*} key described, with its default unless it is unset by design, and hints for
 * the map keys.
 */
class ConfigurationMetadataTests {

    /** Keys that are empty or unset unless configured: nothing to show as a default. */
    private static final Set<String> UNSET_BY_DEFAULT = Set.of("pier.fallback", "pier.error-pages", "pier.cache-control",
            "pier.cors.allowed-origins", "pier.cors.exposed-headers", "pier.hsts", "pier.http-redirect-port", "pier.redirects", "pier.basic-auth",
            "pier.maintenance.page", "pier.headers", "pier.try-files", "pier.rewrites", "pier.trusted-proxies", "pier.access", "pier.rate-limits",
            "pier.hosts", "pier.limits.connections-per-address-exempt");

    private static JsonNode metadata;
    private static Map<String, JsonNode> pierProperties;

    @BeforeAll
    static void readMetadata() throws IOException {
        try (InputStream in = ConfigurationMetadataTests.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the configuration processor's output in target/classes").isNotNull();
            metadata = JsonMapper.shared().readTree(in);
        }
        pierProperties = new TreeMap<>();
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asString();
            if (name.startsWith("pier.")) {
                pierProperties.put(name, property);
            }
        }
    }

    @Test
    void whenMetadataIsGeneratedThenItHasPiersKeysNewOnesIncluded() {
        assertThat(pierProperties).hasSizeGreaterThan(30)
                .containsKeys("pier.document-root", "pier.limits.body", "pier.timeouts.header", "pier.access-log.enabled",
                        "pier.access-log.format", "pier.access-log.response-time");
    }

    @Test
    void whenAnyPierKeyIsListedThenItHasADescription() {
        List<String> undescribed = new ArrayList<>();
        pierProperties.forEach((name, property) -> {
            JsonNode description = property.get("description");
            if (description == null || description.asString().isBlank()) {
                undescribed.add(name);
            }
        });
        assertThat(undescribed).as("pier.* keys without a description (add an @param to PierProperties' javadoc)").isEmpty();
    }

    @Test
    void whenAPierKeyHasADefaultThenTheMetadataShowsIt() {
        List<String> withoutDefault = new ArrayList<>();
        pierProperties.forEach((name, property) -> {
            if (!UNSET_BY_DEFAULT.contains(name) && property.get("defaultValue") == null) {
                withoutDefault.add(name);
            }
        });
        assertThat(withoutDefault).as("pier.* keys without a defaultValue (an @DefaultValue, or additional metadata)").isEmpty();
        assertThat(pierProperties.get("pier.access-log.format").get("defaultValue").asString()).isEqualTo("combined");
        assertThat(pierProperties.get("pier.access-log.enabled").get("defaultValue").asBoolean()).isTrue();
        assertThat(pierProperties.get("pier.security-headers").get("defaultValue").get("X-Content-Type-Options").asString()).isEqualTo("nosniff");
    }

    @Test
    void whenAKeyIsAMapOrAFormatThenItsValuesHaveHints() {
        Map<String, JsonNode> hints = new TreeMap<>();
        metadata.get("hints").forEach(hint -> hints.put(hint.get("name").asString(), hint));
        assertThat(hints).containsKeys("pier.access-log.format", "pier.security-headers.keys", "pier.error-pages.keys",
                "pier.cache-control.keys", "pier.cache-control.values");
        assertThat(hints.get("pier.access-log.format").get("values")).extracting(value -> value.get("value").asString())
                .containsExactly("combined", "common", "json");
    }
}
