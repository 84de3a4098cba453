package dev.registrymesh.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The scale-out fixture: N registry nodes (s3 driver on one {@link S3ProxyServer} bucket; with
 * {@code registryRedis(true)} also {@code REDIS_URL}, the cluster's Redis, for the shared quota usage and locks)
 * behind a real
 * {@link Haproxy}, with M auth-service nodes sharing one key directory and K index-service nodes on one
 * {@link RedisServer} (with an append-only file, so {@link #redis()}{@code .restart()} loses nothing), all
 * started as packaged services ({@link ServiceProcess}).
 *
 * <p>haproxy has one frontend per service: {@code registry} (what clients use: {@link #registryHostPort()}),
 * {@code auth} (the registry's {@code MESH_AUTH_URL}: its challenge realm and where it reads the JWKS) and
 * {@code index} (what auth-service and the registry call). Every registry node gets
 * {@code MESH_AUTH_SERVICE=<registry balancer host:port>}, so a token is valid on every node whichever address
 * the client used. Ports are chosen before anything starts, then the services start in parallel.
 *
 * <p>With {@code tokenAuth(false)} no auth or index nodes are needed and none are started unless asked for.
 */
public final class RegistryCluster implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "cluster-admin-password";
    public static final String INTERNAL_TOKEN = "cluster-internal-token";
    public static final String BUCKET = "mesh-registry";

    private final Builder settings;
    private final S3ProxyServer s3;
    private final RedisServer redis;
    private final Haproxy haproxy;
    private final Path keysDir;
    private final List<ServiceProcess> registries;
    private final List<ServiceProcess> auths;
    private final List<ServiceProcess> indexes;
    private final List<ServiceProcess> extra = Collections.synchronizedList(new ArrayList<>());

    private RegistryCluster(Builder settings, S3ProxyServer s3, RedisServer redis, Haproxy haproxy, Path keysDir,
            List<ServiceProcess> registries, List<ServiceProcess> auths, List<ServiceProcess> indexes) {
        this.settings = settings;
        this.s3 = s3;
        this.redis = redis;
        this.haproxy = haproxy;
        this.keysDir = keysDir;
        this.registries = registries;
        this.auths = auths;
        this.indexes = indexes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when what the cluster runs is installed: haproxy and redis-server (S3Proxy comes from Maven). */
    public static boolean available() {
        return Haproxy.available() && java.nio.file.Files.isExecutable(Path.of("/usr/bin/redis-server"));
    }

    public static final class Builder {
        private int registryNodes = 3;
        private int authNodes = 1;
        private int indexNodes = 1;
        private boolean tokenAuth = true;
        private boolean registryRedis;
        private final List<String> registryJvmArgs = new ArrayList<>();
        private final Map<String, String> registryEnv = new LinkedHashMap<>();
        private final Map<String, String> authEnv = new LinkedHashMap<>();
        private final Map<String, String> indexEnv = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder registries(int nodes) {
            this.registryNodes = nodes;
            return this;
        }

        public Builder authNodes(int nodes) {
            this.authNodes = nodes;
            return this;
        }

        public Builder indexNodes(int nodes) {
            this.indexNodes = nodes;
            return this;
        }

        /** Token auth on the registry (default true); false starts no auth nor index node. */
        public Builder tokenAuth(boolean on) {
            this.tokenAuth = on;
            return this;
        }

        /**
         * Registry nodes get {@code REDIS_URL} (the cluster's Redis, database 1), as a scale-out deployment sets it:
         * quota usage and the per-namespace and collection locks are then shared. Default false.
         */
        public Builder registryRedis(boolean on) {
            this.registryRedis = on;
            return this;
        }

        /** JVM options of every registry node, for example {@code -Xmx128m}. */
        public Builder registryJvmArg(String arg) {
            registryJvmArgs.add(arg);
            return this;
        }

        public Builder registryEnv(String key, String value) {
            registryEnv.put(key, value);
            return this;
        }

        public Builder authEnv(String key, String value) {
            authEnv.put(key, value);
            return this;
        }

        public Builder indexEnv(String key, String value) {
            indexEnv.put(key, value);
            return this;
        }

        /** Starts everything; on failure stops what did start and rethrows. */
        public RegistryCluster start() {
            if (registryNodes < 1) {
                throw new IllegalArgumentException("at least one registry node");
            }
            int auth = tokenAuth ? Math.max(1, authNodes) : 0;
            int index = tokenAuth ? Math.max(1, indexNodes) : 0;
            List<AutoCloseable> started = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                S3ProxyServer s3 = S3ProxyServer.start();
                started.add(s3);
                s3.createBucket(BUCKET);
                RedisServer redis = RedisServer.startPersistent();
                started.add(redis);
                Path keysDir = ChildProcess.tempDir("mesh-cluster-keys-");

                List<Integer> registryPorts = ports(registryNodes);
                List<Integer> authPorts = ports(auth);
                List<Integer> indexPorts = ports(index);
                Haproxy.Builder balancer = Haproxy.builder().frontend("registry", FreePort.find(), registryPorts);
                if (tokenAuth) {
                    balancer.frontend("auth", FreePort.find(), authPorts).frontend("index", FreePort.find(), indexPorts);
                }
                // The balancer's ports exist before the nodes: settings point at them, haproxy starts below.
                Builder self = this;
                PendingHaproxy ports = new PendingHaproxy(balancer);

                List<CompletableFuture<ServiceProcess>> indexes = new ArrayList<>();
                for (int port : indexPorts) {
                    indexes.add(CompletableFuture.supplyAsync(() -> self.index(port, redis, ports).start(), pool));
                }
                List<CompletableFuture<ServiceProcess>> auths = new ArrayList<>();
                for (int port : authPorts) {
                    auths.add(CompletableFuture.supplyAsync(() -> self.auth(port, keysDir, ports).start(), pool));
                }
                List<CompletableFuture<ServiceProcess>> registries = new ArrayList<>();
                for (int port : registryPorts) {
                    registries.add(CompletableFuture.supplyAsync(() -> self.registry(port, s3, redis, ports).start(), pool));
                }
                List<ServiceProcess> indexNodes = joinAll(indexes, started);
                List<ServiceProcess> authNodes = joinAll(auths, started);
                List<ServiceProcess> registryNodes = joinAll(registries, started);
                Haproxy haproxy = balancer.start();
                started.add(haproxy);
                return new RegistryCluster(this, s3, redis, haproxy, keysDir, registryNodes, authNodes, indexNodes);
            } catch (RuntimeException e) {
                for (int i = started.size() - 1; i >= 0; i--) {
                    closeQuietly(started.get(i));
                }
                throw e;
            } finally {
                pool.shutdown();
            }
        }

        private static List<Integer> ports(int n) {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ports.add(FreePort.find());
            }
            return ports;
        }

        /** Waits for every start; every one that succeeded goes to {@code started} (to be stopped on failure). */
        private static List<ServiceProcess> joinAll(List<CompletableFuture<ServiceProcess>> futures, List<AutoCloseable> started) {
            List<ServiceProcess> done = new ArrayList<>();
            RuntimeException failure = null;
            for (CompletableFuture<ServiceProcess> future : futures) {
                try {
                    ServiceProcess service = future.join();
                    done.add(service);
                    started.add(service);
                } catch (CompletionException e) {
                    failure = e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
            if (failure != null) {
                throw failure;
            }
            return done;
        }

        private ServiceProcess.Builder index(int port, RedisServer redis, PendingHaproxy balancer) {
            return ServiceProcess.builder("index-service").port(port)
                    .env("REDIS_URL", redis.url())
                    .env("MESH_ADMIN_PASSWORD", ADMIN_PASSWORD)
                    .env("MESH_INTERNAL_TOKEN", INTERNAL_TOKEN)
                    .env("MESH_REGISTRY_URL", balancer.url("registry"))
                    .env(indexEnv);
        }

        private ServiceProcess.Builder auth(int port, Path keysDir, PendingHaproxy balancer) {
            return ServiceProcess.builder("auth-service").port(port)
                    .env("MESH_INDEX_URL", balancer.url("index"))
                    .env("MESH_INTERNAL_TOKEN", INTERNAL_TOKEN)
                    .env("MESH_AUTH_KEYS_DIR", keysDir.toString())
                    .env(authEnv);
        }

        private ServiceProcess.Builder registry(int port, S3ProxyServer s3, RedisServer redis, PendingHaproxy balancer) {
            ServiceProcess.Builder builder = ServiceProcess.builder("registry-service").port(port)
                    .env(s3.registryEnv(BUCKET, "registry"))
                    .env("MESH_INTERNAL_TOKEN", INTERNAL_TOKEN)
                    .env("MESH_AUTH_ENABLED", Boolean.toString(tokenAuth));
            if (tokenAuth) {
                builder.env("MESH_AUTH_URL", balancer.url("auth"))
                        .env("MESH_INDEX_URL", balancer.url("index"))
                        .env("MESH_AUTH_SERVICE", balancer.hostPort("registry"));
            } else {
                builder.env("MESH_NOTIFICATIONS_ENABLED", "false");
            }
            if (registryRedis) {
                builder.env("REDIS_URL", redis.url() + "/1");
            }
            registryJvmArgs.forEach(builder::jvmArg);
            return builder.env(registryEnv);
        }
    }

    /** The balancer's addresses before it runs. */
    private record PendingHaproxy(Haproxy.Builder builder) {
        String url(String frontend) {
            return "http://" + hostPort(frontend);
        }

        String hostPort(String frontend) {
            return "127.0.0.1:" + builder.port(frontend);
        }
    }

    /** The registry balancer, {@code 127.0.0.1:<port>}, as image references name a registry. */
    public String registryHostPort() {
        return haproxy.hostPort("registry");
    }

    /** {@code http://127.0.0.1:<port>} of the registry balancer. */
    public String registryUrl() {
        return haproxy.url("registry");
    }

    /** The auth balancer (the registry's token realm is {@code authUrl()/token}); null without token auth. */
    public String authUrl() {
        return settings.tokenAuth ? haproxy.url("auth") : null;
    }

    /** The index balancer (index-service's JSON API); null without token auth. */
    public String indexUrl() {
        return settings.tokenAuth ? haproxy.url("index") : null;
    }

    public Haproxy haproxy() {
        return haproxy;
    }

    /** The registry nodes behind the balancer, in the balancer's order (kill one with {@code kill()}). */
    public List<ServiceProcess> registries() {
        return Collections.unmodifiableList(registries);
    }

    public ServiceProcess registry(int i) {
        return registries.get(i);
    }

    public List<ServiceProcess> authNodes() {
        return Collections.unmodifiableList(auths);
    }

    public List<ServiceProcess> indexNodes() {
        return Collections.unmodifiableList(indexes);
    }

    /**
     * The Redis of index-service (append-only file on: {@code restart()} keeps its records), and with
     * {@code registryRedis(true)} of the registry nodes too (database 1).
     */
    public RedisServer redis() {
        return redis;
    }

    /** The object store (kill it with {@code kill()}, bring it back with {@code startAgain()}). */
    public S3ProxyServer s3() {
        return s3;
    }

    /** The password of user {@code admin}. */
    public String adminPassword() {
        return ADMIN_PASSWORD;
    }

    /** The {@code MESH_INTERNAL_TOKEN} every service shares. */
    public String internalToken() {
        return INTERNAL_TOKEN;
    }

    /**
     * Starts registry node {@code i} again on its port (after a kill), with the same settings; haproxy takes it
     * back once its readiness answers. The killed node's process is stopped and its temp files removed first.
     */
    public ServiceProcess restartRegistry(int i) {
        ServiceProcess old = registries.get(i);
        old.stop();
        ServiceProcess fresh = settings.registry(old.port(), s3, redis, fixedPorts()).start();
        registries.set(i, fresh);
        return fresh;
    }

    /**
     * One more registry node on the cluster's storage and auth, not behind the balancer (reach it on its own
     * port), with extra JVM options, for example {@code -Xmx128m}; stopped with the cluster.
     */
    public ServiceProcess startExtraRegistry(String... jvmArgs) {
        ServiceProcess.Builder builder = settings.registry(FreePort.find(), s3, redis, fixedPorts());
        for (String arg : jvmArgs) {
            builder.jvmArg(arg);
        }
        ServiceProcess node = builder.start();
        extra.add(node);
        return node;
    }

    private PendingHaproxy fixedPorts() {
        Haproxy.Builder b = Haproxy.builder().frontend("registry", haproxy.port("registry"), List.of());
        if (settings.tokenAuth) {
            b.frontend("auth", haproxy.port("auth"), List.of()).frontend("index", haproxy.port("index"), List.of());
        }
        return new PendingHaproxy(b);
    }

    /** The end of every node's log, for failure messages. */
    public String logs() {
        StringBuilder all = new StringBuilder();
        List<ServiceProcess> everything = new ArrayList<>(registries);
        everything.addAll(extra);
        everything.addAll(auths);
        everything.addAll(indexes);
        for (ServiceProcess service : everything) {
            String log = service.log();
            all.append("\n--- ").append(service).append(" ---\n")
                    .append(log.length() > 2500 ? log.substring(log.length() - 2500) : log);
        }
        return all.toString();
    }

    /** Polls {@code attempt} every 200 ms until it answers non-null, or fails after {@code timeout} with {@code describe}. */
    public static <T> T await(Duration timeout, Supplier<T> attempt, Supplier<String> describe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = attempt.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + describe.get());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Stops everything: balancer, registry nodes, auth, index, Redis, S3Proxy. Idempotent. */
    @Override
    public void close() {
        closeQuietly(haproxy);
        extra.forEach(RegistryCluster::closeQuietly);
        registries.forEach(RegistryCluster::closeQuietly);
        auths.forEach(RegistryCluster::closeQuietly);
        indexes.forEach(RegistryCluster::closeQuietly);
        closeQuietly(redis);
        closeQuietly(s3);
        ChildProcess.deleteTree(keysDir);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // keep stopping the others
        }
    }

    @Override
    public String toString() {
        return "cluster of " + registries.size() + " registry, " + auths.size() + " auth, " + indexes.size()
                + " index nodes behind " + haproxy;
    }
}
