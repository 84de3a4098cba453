package dev.registrymesh.common.config;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Maps {@code MESH_TLS_CERT} and {@code MESH_TLS_KEY} (PEM files) onto the key store of the TLS configuration
 * {@code mesh} that every service's HTTPS port uses ({@code quarkus.http.tls-configuration-name=mesh}).
 *
 * <p>A config source rather than {@code ${MESH_TLS_CERT:}} expressions in application.properties: an empty
 * expression still creates the key store entry and Quarkus then refuses the empty path at start. Here the keys
 * exist only when the variables are set, so without them HTTPS simply stays off. Ordinal 260: above
 * application.properties (250), below the environment (300), so Quarkus' own variables still win.
 */
public final class MeshTlsConfigSource implements ConfigSource {
    static final String CERT_KEY = "quarkus.tls.mesh.key-store.pem.main.cert";
    static final String KEY_KEY = "quarkus.tls.mesh.key-store.pem.main.key";

    private final Map<String, String> properties;

    public MeshTlsConfigSource() {
        this(System.getenv());
    }

    MeshTlsConfigSource(Map<String, String> env) {
        String cert = setting(env, "MESH_TLS_CERT");
        String key = setting(env, "MESH_TLS_KEY");
        if (cert == null && key == null) {
            properties = Map.of();
        } else if (cert == null || key == null) {
            // Half a configuration is a mistake, not a reason to serve plain HTTP quietly.
            throw new IllegalArgumentException("MESH_TLS_CERT and MESH_TLS_KEY go together: set both or neither");
        } else {
            properties = Map.of(CERT_KEY, cert, KEY_KEY, key);
        }
    }

    /** The environment variable, else the system property of the same name (tests, {@code java -D}). */
    private static String setting(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            value = System.getProperty(name);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "mesh-tls";
    }

    @Override
    public int getOrdinal() {
        return 260;
    }
}
