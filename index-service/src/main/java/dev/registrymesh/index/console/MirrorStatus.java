package dev.registrymesh.index.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registrymesh.index.config.MeshConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The console's mirror page: each mirror node's Prometheus metrics (requests by result, bytes served and fetched,
 * cache size), read on demand, and prefetch requests to the mirror's admin API. A node that does not answer is
 * shown as down; nothing here is cached or stored.
 */
@ApplicationScoped
public class MirrorStatus {
    private static final Logger LOG = Logger.getLogger(MirrorStatus.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code name{labels} value}, the Prometheus text format's sample line. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Inject
    MeshConfig config;

    private HttpClient http;

    public record Node(String url, boolean up, String problem, long hits, long misses, long requests, String hitRatio,
                       String bytesServed, String bytesFetched, String cacheSize) {
    }

    public record UpstreamRow(String alias, String url, String bytesServed, String bytesFetched) {
    }

    public record Status(List<Node> nodes, List<UpstreamRow> upstreams, boolean anyUp) {
    }

    public record PrefetchResult(boolean ok, String message, List<String> lines) {
    }

    @PostConstruct
    void init() {
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    }

    public Status status() {
        List<Node> nodes = new ArrayList<>();
        Map<String, double[]> perUpstream = new LinkedHashMap<>();
        List<String> urls = urls();
        List<String> management = clean(config.mirrorManagementUrls());
        for (int i = 0; i < urls.size(); i++) {
            String url = urls.get(i);
            // Metrics answer on the node's management port; without one named for it, its own URL is tried.
            String metrics = (i < management.size() ? management.get(i) : url) + "/q/metrics";
            try {
                nodes.add(node(url, fetch(metrics), perUpstream));
            } catch (IOException | RuntimeException e) {
                nodes.add(new Node(url, false, "does not answer (" + e.getClass().getSimpleName() + ")", 0, 0, 0, "", "", "", ""));
            }
        }
        List<UpstreamRow> upstreams = new ArrayList<>();
        for (String entry : config.mirrorUpstreams().split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                String alias = entry.substring(0, eq).trim();
                double[] bytes = perUpstream.getOrDefault(alias, new double[2]);
                upstreams.add(new UpstreamRow(alias, entry.substring(eq + 1).trim(), Fmt.bytes((long) bytes[0]), Fmt.bytes((long) bytes[1])));
            }
        }
        return new Status(nodes, upstreams, nodes.stream().anyMatch(Node::up));
    }

    private Node node(String url, String metrics, Map<String, double[]> perUpstream) {
        double hits = 0;
        double misses = 0;
        double requests = 0;
        double served = 0;
        double fetched = 0;
        double cache = 0;
        for (String line : metrics.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            Map<String, String> labels = labels(m.group(3));
            double value;
            try {
                value = Double.parseDouble(m.group(4));
            } catch (NumberFormatException e) {
                continue;
            }
            switch (m.group(1)) {
                case "mirror_requests_total" -> {
                    String result = labels.getOrDefault("result", "");
                    requests += value;
                    // Served from the cluster's cache: this node's disk, a peer node, or stale while upstream failed.
                    if (result.equals("hit") || result.equals("peer") || result.equals("stale")) {
                        hits += value;
                    } else if (result.equals("miss")) {
                        misses += value;
                    }
                }
                case "mirror_bytes_served_total" -> {
                    served += value;
                    perUpstream.computeIfAbsent(labels.getOrDefault("upstream", ""), k -> new double[2])[0] += value;
                }
                case "mirror_bytes_fetched_total" -> {
                    fetched += value;
                    perUpstream.computeIfAbsent(labels.getOrDefault("upstream", ""), k -> new double[2])[1] += value;
                }
                case "mirror_cache_size" -> cache = value;
                default -> {
                }
            }
        }
        String ratio = hits + misses == 0 ? "no requests yet" : String.format(Locale.ROOT, "%.0f %%", 100 * hits / (hits + misses));
        return new Node(url, true, null, (long) hits, (long) misses, (long) requests, ratio, Fmt.bytes((long) served),
                Fmt.bytes((long) fetched), Fmt.bytes((long) cache));
    }

    /** Sends the references to the first node's prefetch (which caches them whole, and pins them when asked). */
    public PrefetchResult prefetch(List<String> references, boolean pin) {
        String url = urls().get(0) + "/admin/v1/prefetch";
        try {
            String body = JSON.writeValueAsString(Map.of("references", references, "pin", pin));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            config.internalToken().filter(t -> !t.isBlank()).ifPresent(t -> request.header("X-Mesh-Internal-Token", t));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
            List<String> lines = new ArrayList<>();
            if (response.statusCode() != 200) {
                return new PrefetchResult(false, "the mirror refused: " + json.path("errors").path(0).path("message").asText(
                        "status " + response.statusCode()), lines);
            }
            json.path("results").forEach(r -> lines.add(r.has("error")
                    ? r.path("reference").asText() + ": failed, " + r.path("error").asText()
                    : r.path("reference").asText() + ": " + r.path("items").asLong() + " items cached" + (r.path("pinned").asBoolean() ? ", pinned" : "")));
            return new PrefetchResult(true, (pin ? "prefetched and pinned " : "prefetched ") + references.size() + " image(s)", lines);
        } catch (IOException e) {
            LOG.warnf("prefetch through %s failed: %s", url, e.getMessage());
            return new PrefetchResult(false, "the mirror cannot be reached at " + urls().get(0), List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PrefetchResult(false, "interrupted", List.of());
        }
    }

    private List<String> urls() {
        return clean(config.mirrorUrls());
    }

    private static List<String> clean(List<String> urls) {
        return urls.stream().map(String::trim).filter(u -> !u.isEmpty())
                .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).toList();
    }

    private String fetch(String url) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("status " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text != null) {
            Matcher m = LABEL.matcher(text);
            while (m.find()) {
                out.put(m.group(1), m.group(2));
            }
        }
        return out;
    }
}
