package dev.registrymesh.common.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;

/**
 * Publishes histogram buckets (1 ms to 60 s) for the HTTP server's request timer and every timer named
 * {@code *.latency}, so that dashboards can show p50 and p99 across nodes with {@code histogram_quantile};
 * Micrometer's default is only count, sum and max.
 */
public final class LatencyHistograms implements MeterFilter {
    /** Few fixed buckets rather than Micrometer's ~70, to keep the series per route small. */
    private static final double[] BUCKETS = java.util.stream.Stream.of("PT0.001S", "PT0.005S", "PT0.01S", "PT0.025S",
            "PT0.05S", "PT0.1S", "PT0.25S", "PT0.5S", "PT1S", "PT2.5S", "PT5S", "PT10S", "PT30S", "PT60S")
            .mapToDouble(d -> Duration.parse(d).toNanos()).toArray();

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals("http.server.requests") && !id.getName().endsWith(".latency")) {
            return config;
        }
        return DistributionStatisticConfig.builder().serviceLevelObjectives(BUCKETS).build().merge(config);
    }
}
