package dev.registrymesh.mirror;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@link FaultyUpstreamTestResource} upstream (Distribution behind a request-counting proxy), for a mirror
 * that fetches layers ahead, within a small budget.
 */
public class PrefetchUpstreamTestResource extends FaultyUpstreamTestResource {
    /** The prefetch budget of the mirror under test. */
    static final long BUDGET = 1024 * 1024;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("mirror.prefetch", "true");
        config.put("mirror.prefetch-max-bytes", Long.toString(BUDGET));
        return config;
    }
}
