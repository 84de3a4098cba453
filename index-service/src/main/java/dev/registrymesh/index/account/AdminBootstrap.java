package dev.registrymesh.index.account;

import dev.registrymesh.index.access.Secrets;
import dev.registrymesh.index.config.MeshConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Creates user {@code admin} on first start, with MESH_ADMIN_PASSWORD or a generated password logged once. */
@ApplicationScoped
public class AdminBootstrap {
    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);
    public static final String ADMIN = "admin";

    @Inject
    MeshConfig config;
    @Inject
    UserService users;

    void onStart(@Observes StartupEvent ev) {
        String password = config.adminPassword().filter(p -> !p.isBlank()).orElse(null);
        boolean generated = password == null;
        if (generated) {
            password = Secrets.random(18);
        }
        if (users.bootstrap(ADMIN, password)) {
            if (generated) {
                LOG.warnf("created user '%s' with generated password: %s (shown once; set MESH_ADMIN_PASSWORD to choose it)", ADMIN, password);
            } else {
                LOG.infof("created user '%s' with the password from MESH_ADMIN_PASSWORD", ADMIN);
            }
        }
    }
}
