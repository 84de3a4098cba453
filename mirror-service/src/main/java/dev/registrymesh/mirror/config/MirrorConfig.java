package dev.registrymesh.mirror.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the mirror ({@code mirror.*}, or {@code MIRROR_*} in the environment). Per-upstream settings
 * live under {@code mirror-upstream.<slug>.*} (see {@link Upstreams}).
 */
@ConfigMapping(prefix = "mirror")
public interface MirrorConfig {

    /** {@code alias=url[,alias=url...]}; an alias is a registry host name such as {@code docker.io}. */
    @WithDefault("docker.io=https://registry-1.docker.io")
    String upstreams();

    /** The upstream of requests that name none (Docker's {@code registry-mirrors}). */
    @WithDefault("docker.io")
    String defaultUpstream();

    /** How peer mirror nodes reach this one; default {@code http://127.0.0.1:<port>}. */
    Optional<String> nodeUrl();

    /**
     * With {@code mesh.auth.enabled}: also serve clients that bring no token. Docker daemons need this for
     * {@code registry-mirrors}; leave it off when an upstream's credentials give access to private content.
     */
    @WithDefault("false")
    boolean allowAnonymous();

    /** How long a manifest fetched by tag is served without asking the upstream (default per upstream). */
    @WithDefault("5m")
    Duration tagTtl();

    /** How long past its TTL a tag may still be served when the upstream fails (stale-if-error). */
    @WithDefault("168h")
    Duration staleWindow();

    /** How long a tag list answer is reused without asking the upstream. */
    @WithDefault("30s")
    Duration tagsListTtl();

    /** Disk space this node's cache may use; least recently used unpinned content is evicted beyond it. */
    @WithDefault("20G")
    MemorySize diskQuota();

    /**
     * Start fetching an image's config and layers as soon as its manifest went to a client, who will ask for
     * them a few milliseconds later: the download is then already running when they do (MIRROR_PREFETCH).
     */
    @WithDefault("true")
    boolean prefetch();

    /** The most bytes of prefetched blobs in flight at once on this node; blobs beyond it wait for a client. */
    @WithDefault("1G")
    MemorySize prefetchMaxBytes();

    /** How often the disk quota is enforced. */
    @WithDefault("10s")
    Duration evictionInterval();

    /** Lease of the cluster-wide fetch lock; the owner renews it at a third of this while it fetches. */
    @WithDefault("15s")
    Duration fetchLease();

    /** Longest silence of an upstream or peer connection before the fetch is abandoned. */
    @WithDefault("60s")
    Duration upstreamIdleTimeout();

    @WithDefault("10s")
    Duration upstreamConnectTimeout();

    /**
     * After an upstream could not be reached while revalidating a tag, how long its cached tags are served
     * stale at once rather than each request waiting on it again (default per upstream; 0 = always ask).
     */
    @WithDefault("10s")
    Duration upstreamBackoff();
}
