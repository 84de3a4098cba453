package dev.registrymesh.index.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.registrymesh.index.model.Visibility;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The settings are read as the service reads them (the mapping alone, no application start). */
class MeshConfigTest {

    private static MeshConfig load(String defaultVisibility) {
        Map<String, String> properties = new HashMap<>(Map.of("mesh.data-dir", "target/unused"));
        if (defaultVisibility != null) {
            properties.put("mesh.index.default-visibility", defaultVisibility);
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(MeshConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus' "30s" form
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(MeshConfig.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "null", value = {"null, PRIVATE", "private, PRIVATE", "public, PUBLIC"})
    void defaultVisibilityIsReadAtStart(String value, Visibility expected) {
        assertEquals(expected, load(value).index().defaultVisibility());
    }

    /** A wrong value used to surface only when a push created a record: that event was refused, and retried forever. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"internal", "privat", "yes"})
    void aWrongDefaultVisibilityStopsTheStart(String value) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> load(value));
        assertTrue(String.valueOf(e.getMessage()).contains("mesh.index.default-visibility"), e.getMessage());
    }
}
