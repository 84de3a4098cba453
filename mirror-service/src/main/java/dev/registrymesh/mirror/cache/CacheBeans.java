package dev.registrymesh.mirror.cache;

import dev.registrymesh.mirror.config.MeshSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** The node's on-disk stores, under {@code MESH_DATA_DIR}. */
@ApplicationScoped
public class CacheBeans {
    @Produces
    @Singleton
    ContentStore contentStore(MeshSettings settings) {
        return new ContentStore(Path.of(settings.dataDir()).toAbsolutePath());
    }

    @Produces
    @Singleton
    TagStore tagStore(MeshSettings settings) {
        return new TagStore(Path.of(settings.dataDir()).toAbsolutePath());
    }
}
