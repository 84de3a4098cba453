package dev.registrymesh.mirror.http;

import dev.registrymesh.mirror.cluster.ClusterIndex;
import dev.registrymesh.mirror.config.NodeIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness with the cluster's state. A node whose Redis is gone still serves (from its disk, fetching
 * alone), so it stays UP for the load balancer and says {@code degraded} in its data.
 */
@Readiness
@ApplicationScoped
public class ClusterReadiness implements HealthCheck {
    @Inject
    ClusterIndex index;
    @Inject
    NodeIdentity node;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("mirror-cluster")
                .up()
                .withData("index", index.kind())
                .withData("state", index.healthy() ? "ok" : "degraded")
                .withData("node", node.url())
                .build();
    }
}
