package dev.registrymesh.common.metrics;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Gives every service the same {@link LatencyHistograms}; found by CDI through common's beans.xml. */
@Singleton
public class MetricsSetup {

    @Produces
    @Singleton
    MeterFilter latencyHistograms() {
        return new LatencyHistograms();
    }
}
