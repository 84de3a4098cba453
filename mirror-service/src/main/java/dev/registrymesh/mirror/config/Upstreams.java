package dev.registrymesh.mirror.config;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The configured upstreams, parsed once from {@code MIRROR_UPSTREAMS}. Per upstream, further settings are
 * read under {@code mirror-upstream.<slug>.}: {@code tag-ttl}, {@code backoff}, {@code username}, {@code password}; for
 * example {@code MIRROR_UPSTREAM_DOCKER_IO_TAG_TTL=10m} or {@code MIRROR_UPSTREAM_GHCR_IO_PASSWORD=...}.
 */
public final class Upstreams {
    private static final java.util.Set<String> DOCKER_HUB_NAMES = java.util.Set.of("docker.io", "index.docker.io", "registry-1.docker.io");
    private final Map<String, Upstream> byAlias = new LinkedHashMap<>();
    private final Upstream defaultUpstream;

    /**
     * @param list     {@code alias=url[,alias=url...]}
     * @param setting  looks up {@code mirror-upstream.<slug>.<key>} (empty when unset)
     */
    public Upstreams(String list, String defaultAlias, Duration defaultTtl, Duration defaultBackoff,
            Function<String, Optional<String>> setting) {
        for (String entry : list.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("MIRROR_UPSTREAMS entry is not alias=url: " + entry.trim());
            }
            String alias = entry.substring(0, eq).trim();
            URI url = URI.create(stripSlash(entry.substring(eq + 1).trim()));
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("upstream " + alias + " needs an http(s) URL, not " + url);
            }
            String prefix = "mirror-upstream." + slug(alias) + ".";
            Duration ttl = setting.apply(prefix + "tag-ttl").map(Upstreams::duration).orElse(defaultTtl);
            Duration backoff = setting.apply(prefix + "backoff").map(Upstreams::duration).orElse(defaultBackoff);
            byAlias.put(alias, new Upstream(alias, url, ttl, backoff, setting.apply(prefix + "username"), setting.apply(prefix + "password")));
        }
        if (byAlias.isEmpty()) {
            throw new IllegalArgumentException("MIRROR_UPSTREAMS names no upstream");
        }
        defaultUpstream = byAlias.get(defaultAlias);
        if (defaultUpstream == null) {
            throw new IllegalArgumentException("MIRROR_DEFAULT_UPSTREAM " + defaultAlias + " is not in MIRROR_UPSTREAMS " + byAlias.keySet());
        }
    }

    public Upstream defaultUpstream() {
        return defaultUpstream;
    }

    public Optional<Upstream> byAlias(String alias) {
        return Optional.ofNullable(byAlias.get(alias));
    }

    /**
     * The upstream a containerd {@code ?ns=} names: an alias, or the host[:port] of an upstream's URL. Docker
     * Hub's names ({@code docker.io}, {@code index.docker.io}, {@code registry-1.docker.io}) all mean the same
     * upstream, whichever of them the alias is.
     */
    public Optional<Upstream> byNamespace(String ns) {
        Upstream direct = byAlias.get(ns);
        if (direct != null) {
            return Optional.of(direct);
        }
        String wanted = dockerHubAsOne(ns);
        return byAlias.values().stream()
                .filter(u -> dockerHubAsOne(u.alias()).equals(wanted) || hostPort(u.baseUrl()).equals(ns) || u.baseUrl().getHost().equals(ns))
                .findFirst();
    }

    private static String dockerHubAsOne(String host) {
        return DOCKER_HUB_NAMES.contains(host) ? "docker.io" : host;
    }

    public Collection<Upstream> all() {
        return byAlias.values();
    }

    public static String slug(String alias) {
        return alias.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    private static String hostPort(URI url) {
        return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** "90s", "5m", "2h" or an ISO-8601 duration. */
    static Duration duration(String text) {
        String t = text.trim();
        if (t.matches("\\d+(ms|s|m|h|d)")) {
            long n = Long.parseLong(t.replaceAll("\\D", ""));
            return switch (t.replaceAll("\\d", "")) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        return Duration.parse(t);
    }
}
