package dev.registrymesh.auth.http;

import dev.registrymesh.common.metrics.LatencyHistograms;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Latency histograms for the dashboards (p50/p99 across nodes), see {@link LatencyHistograms}. */
@Singleton
public class MetricsSetup {

    @Produces
    @Singleton
    MeterFilter latencyHistograms() {
        return LatencyHistograms.forServerRequestsAnd();
    }
}
