package dev.registrymesh.e2e.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small registry client over plain HTTP, as Docker does it after {@code docker login}: one password login for
 * a refresh token (OAuth2 {@code POST /token}, {@code access_type=offline}), then a token for each repository from
 * that refresh token (renewed before it expires, refetched on a 401; a 429 or 503 of the token server is
 * retried after a pause), blob HEAD before upload, POST + PATCH + PUT uploads, manifest
 * PUT, and GETs that read the bytes back. Each call names the node (base URL) it goes to, so a test can send
 * one request to the balancer and the next to a given node.
 */
final class ClusterClient {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCEPT_MANIFESTS = OCI_MANIFEST + ", application/vnd.oci.image.index.v1+json, "
            + "application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json";
    private static final Duration TOKEN_REUSE = Duration.ofMinutes(2);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final String realm;
    private final String service;
    private final String credentials;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private volatile String refreshToken;

    private record Token(String value, long fetchedAt) {
    }

    /** A blob in memory with its digest. */
    record Blob(String mediaType, byte[] bytes, String digest) {
        static Blob of(String mediaType, byte[] bytes) {
            return new Blob(mediaType, bytes, sha256(bytes));
        }
    }

    /** An image manifest and what it references. */
    record Image(Blob config, List<Blob> layers, byte[] manifest, String digest) {
        List<Blob> blobs() {
            List<Blob> all = new ArrayList<>(layers);
            all.add(config);
            return all;
        }
    }

    ClusterClient(String realm, String service, String user, String password) {
        this.realm = realm;
        this.service = service;
        this.credentials = user + ":" + password;
    }

    static byte[] random(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** An OCI image of the given layers and a config naming {@code label}. */
    static Image image(String label, List<Blob> layers) {
        Blob config = Blob.of("application/vnd.oci.image.config.v1+json",
                ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"client\":\"" + label
                        + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8));
        StringBuilder m = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"").append(OCI_MANIFEST)
                .append("\",\"config\":").append(descriptor(config)).append(",\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            m.append(i == 0 ? "" : ",").append(descriptor(layers.get(i)));
        }
        byte[] manifest = m.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        return new Image(config, layers, manifest, sha256(manifest));
    }

    private static String descriptor(Blob blob) {
        return "{\"mediaType\":\"" + blob.mediaType() + "\",\"digest\":\"" + blob.digest() + "\",\"size\":" + blob.bytes().length + "}";
    }

    /** Pushes every blob (skipping those a HEAD finds) and then the manifest under {@code tag}, all through {@code node}. */
    void push(String node, String repository, String tag, Image image) {
        for (Blob blob : image.blobs()) {
            if (status(send(node, "HEAD", "/v2/" + repository + "/blobs/" + blob.digest(), repository, null, null)) != 200) {
                uploadBlob(node, repository, blob);
            }
        }
        putManifest(node, repository, tag, image);
    }

    /** POST, one stream-mode PATCH, PUT with the digest. */
    void uploadBlob(String node, String repository, Blob blob) {
        HttpResponse<String> started = send(node, "POST", "/v2/" + repository + "/blobs/uploads/", repository, null, null);
        expect(202, started, "POST upload");
        String location = started.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> patched = send(node, "PATCH", location, repository, blob.bytes(),
                Map.of("Content-Type", "application/octet-stream"));
        expect(202, patched, "PATCH");
        location = patched.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> closed = send(node, "PUT", withDigest(location, blob.digest()), repository, null, null);
        expect(201, closed, "PUT upload");
    }

    /** PUT of the manifest; the response (201 means acknowledged). */
    HttpResponse<String> putManifest(String node, String repository, String tag, Image image) {
        HttpResponse<String> put = send(node, "PUT", "/v2/" + repository + "/manifests/" + tag, repository, image.manifest(),
                Map.of("Content-Type", OCI_MANIFEST));
        expect(201, put, "PUT manifest");
        return put;
    }

    static String withDigest(String location, String digest) {
        return location + (location.contains("?") ? "&" : "?") + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8);
    }

    /** GET of a manifest or blob; the body's bytes and status. */
    HttpResponse<byte[]> get(String node, String repository, String path) {
        return exchange(node, "GET", path, repository, null, Map.of("Accept", ACCEPT_MANIFESTS), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> send(String node, String method, String pathOrUrl, String repository, byte[] body, Map<String, String> headers) {
        return exchange(node, method, pathOrUrl, repository, body, headers, HttpResponse.BodyHandlers.ofString());
    }

    /** One request with the repository's token; a 401 gets a fresh token and one more try. */
    <T> HttpResponse<T> exchange(String node, String method, String pathOrUrl, String repository, byte[] body,
            Map<String, String> headers, HttpResponse.BodyHandler<T> handler) {
        for (int attempt = 1; ; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(node, pathOrUrl)).timeout(Duration.ofSeconds(60))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            if (repository != null) {
                request.header("Authorization", "Bearer " + token(repository, attempt > 1));
            }
            if (headers != null) {
                headers.forEach(request::header);
            }
            try {
                HttpResponse<T> response = http.send(request.build(), handler);
                if (response.statusCode() == 401 && repository != null && attempt == 1) {
                    continue;
                }
                return response;
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + pathOrUrl + " on " + node, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static URI uri(String node, String pathOrUrl) {
        if (pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://")) {
            // An absolute Location names the node that answered: keep its path, send it where the caller says.
            URI given = URI.create(pathOrUrl);
            return URI.create(node + given.getRawPath() + (given.getRawQuery() == null ? "" : "?" + given.getRawQuery()));
        }
        return URI.create(node + pathOrUrl);
    }

    /** A pull and push token for {@code repository}, reused for two minutes. */
    String token(String repository, boolean fresh) {
        Token cached = tokens.get(repository);
        if (!fresh && cached != null && System.nanoTime() - cached.fetchedAt() < TOKEN_REUSE.toNanos()) {
            return cached.value();
        }
        String scope = "repository:" + repository + ":pull,push";
        JsonNode answer = tokenRequest("grant_type=refresh_token&client_id=cluster-test&service=" + form(service)
                + "&scope=" + form(scope) + "&refresh_token=" + form(refreshToken()));
        String token = answer.path("access_token").asText(answer.path("token").asText());
        tokens.put(repository, new Token(token, System.nanoTime()));
        return token;
    }

    /** The refresh token of one password login (as {@code docker login} keeps it). */
    private synchronized String refreshToken() {
        if (refreshToken == null) {
            String[] userPassword = credentials.split(":", 2);
            JsonNode answer = tokenRequest("grant_type=password&client_id=cluster-test&access_type=offline&service="
                    + form(service) + "&username=" + form(userPassword[0]) + "&password=" + form(userPassword[1]));
            refreshToken = answer.path("refresh_token").asText();
            if (refreshToken.isEmpty()) {
                throw new IllegalStateException("no refresh token in " + answer);
            }
        }
        return refreshToken;
    }

    /** {@code POST <realm>} with a form; a 429 or 503 (the account service busy or away) is retried for up to 30 s. */
    private JsonNode tokenRequest(String form) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(realm)).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return JSON.readTree(response.body());
                }
                if ((response.statusCode() != 429 && response.statusCode() < 500) || System.nanoTime() > deadline) {
                    throw new UnexpectedStatus("token: " + response.statusCode() + " " + response.body());
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new UncheckedIOException("token", e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static int status(HttpResponse<?> response) {
        return response.statusCode();
    }

    static void expect(int status, HttpResponse<String> response, String what) {
        if (response.statusCode() != status) {
            throw new UnexpectedStatus(what + " " + response.request().uri() + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** A registry answer other than the one the protocol step expects (a client would retry). */
    static final class UnexpectedStatus extends RuntimeException {
        UnexpectedStatus(String message) {
            super(message);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
