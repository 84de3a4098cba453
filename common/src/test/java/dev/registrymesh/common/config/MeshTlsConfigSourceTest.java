package dev.registrymesh.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MeshTlsConfigSourceTest {

    @Test
    void withoutTheVariablesThereIsNoKeyStoreAtAll() {
        MeshTlsConfigSource source = new MeshTlsConfigSource(Map.of("MESH_TLS_CERT", " ", "OTHER", "x"));
        assertTrue(source.getPropertyNames().isEmpty());
    }

    @Test
    void bothFilesMapOntoTheMeshTlsConfiguration() {
        MeshTlsConfigSource source = new MeshTlsConfigSource(Map.of("MESH_TLS_CERT", "/tls/tls.crt", "MESH_TLS_KEY", "/tls/tls.key"));
        assertEquals("/tls/tls.crt", source.getValue("quarkus.tls.mesh.key-store.pem.main.cert"));
        assertEquals("/tls/tls.key", source.getValue("quarkus.tls.mesh.key-store.pem.main.key"));
        assertEquals(260, source.getOrdinal());
    }

    @Test
    void halfAConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MeshTlsConfigSource(Map.of("MESH_TLS_CERT", "/tls/tls.crt")));
    }
}
