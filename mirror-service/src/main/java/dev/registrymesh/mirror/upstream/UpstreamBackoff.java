package dev.registrymesh.mirror.upstream;

import dev.registrymesh.mirror.config.Upstream;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstreams that could not be reached just now. Their cached tags are served stale at once for the
 * upstream's backoff instead of every request waiting on a dead connection again (an upstream whose packets
 * are dropped costs a whole connect timeout per try). Answers such as 429 or 503 come fast and do not count.
 */
@ApplicationScoped
public class UpstreamBackoff {
    private final Map<String, Long> until = new ConcurrentHashMap<>();

    /** True while {@code upstream} is left alone. */
    public boolean active(Upstream upstream) {
        Long end = until.get(upstream.alias());
        return end != null && end > System.currentTimeMillis();
    }

    public void unreachable(Upstream upstream) {
        if (!upstream.backoff().isZero()) {
            until.put(upstream.alias(), System.currentTimeMillis() + upstream.backoff().toMillis());
        }
    }

    public void reached(Upstream upstream) {
        until.remove(upstream.alias());
    }
}
