package dev.registrymesh.mirror.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds the configured {@link Upstreams} and this node's identity. */
@ApplicationScoped
public class MirrorBeans {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(MirrorBeans.class);

    void announce(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event, Upstreams upstreams, NodeIdentity node) {
        LOG.infof("mirror node %s; upstreams %s, default %s", node.url(), upstreams.all(), upstreams.defaultUpstream().alias());
    }

    @Produces
    @Singleton
    Upstreams upstreams(MirrorConfig config) {
        var source = ConfigProvider.getConfig();
        return new Upstreams(config.upstreams(), config.defaultUpstream(), config.tagTtl(),
                key -> source.getOptionalValue(key, String.class).filter(v -> !v.isBlank()));
    }

    @Produces
    @Singleton
    NodeIdentity node(MirrorConfig config, @ConfigProperty(name = "quarkus.http.port", defaultValue = "5003") int port) {
        String url = config.nodeUrl().filter(u -> !u.isBlank()).orElse("http://127.0.0.1:" + port);
        return new NodeIdentity(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }
}
