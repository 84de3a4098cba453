package dev.registrymesh.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Builds the OCI image of each service from its packaged {@code target/quarkus-app} with jib-core: no Dockerfile
 * and no container engine, layers in order of change (third-party libraries, the project's own libraries, the
 * application), fixed file times so that the same jars give the same layers. Run by {@code ./mesh images}.
 *
 * <pre>
 * java -jar images/target/mesh-images.jar [--base IMAGE] (--push REGISTRY/NAMESPACE | --docker [PREFIX] | --tar DIR)
 *      [--tag TAG] [--services a,b] [--revision SHA] [--created ISO-8601] [--source URL] [--insecure] [--root DIR]
 * </pre>
 *
 * The base image is a registry reference, {@code docker://IMAGE} (a local Docker engine) or {@code tar://FILE}
 * ({@code docker save} output). Credentials: {@code MESH_IMAGES_USERNAME} / {@code MESH_IMAGES_PASSWORD} for the
 * push target, else the Docker client's configuration ({@code docker login}), as for the base.
 */
public final class BuildImages {
    static final String DEFAULT_BASE = "eclipse-temurin:17-jre";
    /** Non-root, numeric: it needs no passwd entry in the base image. */
    static final String DEFAULT_USER = "10001:10001";
    static final AbsoluteUnixPath APP = AbsoluteUnixPath.get("/app");
    static final AbsoluteUnixPath DATA = AbsoluteUnixPath.get("/data");
    /** JVM sized from the container's memory limit (JDK 17 reads cgroups); JAVA_TOOL_OPTIONS adds or overrides. */
    static final List<String> JAVA = List.of("java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "/app/quarkus-run.jar");

    private BuildImages() {
    }

    /** The command line, parsed. */
    record Options(Path root, String base, String push, String dockerPrefix, Path tarDir, String tag,
            List<String> services, String revision, String created, String source, boolean insecure, String user) {

        static Options parse(String[] args) {
            Path root = Path.of("").toAbsolutePath();
            String base = DEFAULT_BASE;
            String push = null;
            String docker = null;
            Path tar = null;
            String tag = null;
            List<String> services = ServiceImage.ALL.stream().map(ServiceImage::module).toList();
            String revision = "unknown";
            String created = null;
            String source = "unknown";
            boolean insecure = false;
            String user = DEFAULT_USER;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--root" -> root = Path.of(value(args, ++i, arg)).toAbsolutePath();
                    case "--base" -> base = value(args, ++i, arg);
                    case "--push" -> push = value(args, ++i, arg).replaceAll("/+$", "");
                    case "--docker" -> docker = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "registry-mesh";
                    case "--tar" -> tar = Path.of(value(args, ++i, arg)).toAbsolutePath();
                    case "--tag" -> tag = value(args, ++i, arg);
                    case "--services" -> services = List.of(value(args, ++i, arg).split(","));
                    case "--revision" -> revision = value(args, ++i, arg);
                    case "--created" -> created = value(args, ++i, arg);
                    case "--source" -> source = value(args, ++i, arg);
                    case "--insecure" -> insecure = true;
                    case "--user" -> user = value(args, ++i, arg);
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            int targets = (push != null ? 1 : 0) + (docker != null ? 1 : 0) + (tar != null ? 1 : 0);
            if (targets != 1) {
                throw new IllegalArgumentException("name exactly one target: --push REGISTRY/NAMESPACE, --docker [PREFIX] or --tar DIR");
            }
            services.forEach(ServiceImage::named);
            return new Options(root, base, push, docker, tar, tag == null ? projectVersion() : tag, services, revision,
                    created, source, insecure, user);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("images: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            for (String module : options.services()) {
                build(ServiceImage.named(module), options);
            }
        } catch (Exception e) {
            System.err.println("images: " + e.getMessage());
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                System.err.println("  caused by: " + cause);
            }
            System.exit(1);
        }
    }

    static JibContainer build(ServiceImage service, Options options) throws Exception {
        Path app = options.root().resolve(service.module()).resolve("target/quarkus-app");
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(app + "/quarkus-run.jar is missing: package the services first (./mvnw -B package -DskipTests)");
        }
        Instant created = options.created() == null ? Instant.now() : Instant.parse(options.created());
        JibContainerBuilder image = base(options)
                .setFormat(ImageFormat.OCI)
                .addFileEntriesLayer(libraries(app, "dependencies", false))
                .addFileEntriesLayer(libraries(app, "project-libraries", true))
                .addFileEntriesLayer(application(app))
                .addFileEntriesLayer(runtime(service, options.user()))
                .setWorkingDirectory(APP)
                .setEntrypoint(JAVA)
                .setEnvironment(Map.of("MESH_DATA_DIR", DATA.toString()))
                .addVolume(DATA)
                .setUser(options.user())
                .addExposedPort(Port.tcp(service.port()))
                .addExposedPort(Port.tcp(service.tlsPort()))
                .addExposedPort(Port.tcp(service.managementPort()))
                .setLabels(labels(service, options, created))
                .setCreationTime(created);

        Containerizer to = target(service, options);
        to.setToolName("registry-mesh-images");
        to.addEventHandler(LogEvent.class, event -> {
            // Jib's HTTPS-then-HTTP fallback on a loopback registry is expected: not worth a warning each time.
            boolean fallback = event.getMessage().contains("Attempting again");
            if (event.getLevel() == LogEvent.Level.ERROR || event.getLevel() == LogEvent.Level.WARN && !fallback) {
                System.err.println("  " + event.getMessage());
            }
        });
        System.out.println(service.module() + ": building on " + options.base());
        JibContainer result = image.containerize(to);
        System.out.println(service.module() + ": " + result.getTargetImage() + "@" + result.getDigest());
        return result;
    }

    private static JibContainerBuilder base(Options options) throws InvalidImageReferenceException {
        String base = options.base();
        if (base.startsWith(Jib.DOCKER_DAEMON_IMAGE_PREFIX) || base.startsWith(Jib.TAR_IMAGE_PREFIX)) {
            return Jib.from(base);
        }
        ImageReference reference = ImageReference.parse(base);
        return Jib.from(withCredentials(RegistryImage.named(reference), reference, false));
    }

    private static Containerizer target(ServiceImage service, Options options) throws InvalidImageReferenceException {
        if (options.tarDir() != null) {
            try {
                Files.createDirectories(options.tarDir());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ImageReference name = ImageReference.parse("registry-mesh/" + service.module() + ":" + options.tag());
            return Containerizer.to(TarImage.at(options.tarDir().resolve(service.module() + ".tar")).named(name));
        }
        Containerizer containerizer;
        if (options.dockerPrefix() != null) {
            containerizer = Containerizer.to(DockerDaemonImage.named(
                    ImageReference.parse(options.dockerPrefix() + "/" + service.module() + ":" + options.tag())));
        } else {
            ImageReference name = ImageReference.parse(options.push() + "/" + service.module() + ":" + options.tag());
            containerizer = Containerizer.to(withCredentials(RegistryImage.named(name), name, true));
            boolean loopback = isLoopback(name.getRegistry());
            // Plain HTTP only where nobody can listen in: a registry on this machine, or when asked.
            containerizer.setAllowInsecureRegistries(loopback || options.insecure());
            if (loopback) {
                System.setProperty("sendCredentialsOverHttp", "true");
            }
        }
        if (!"latest".equals(options.tag())) {
            containerizer.withAdditionalTag("latest");
        }
        return containerizer;
    }

    private static RegistryImage withCredentials(RegistryImage image, ImageReference reference, boolean pushTarget) {
        String user = System.getenv("MESH_IMAGES_USERNAME");
        String password = System.getenv("MESH_IMAGES_PASSWORD");
        if (pushTarget && user != null && !user.isBlank() && password != null) {
            return image.addCredential(user, password);
        }
        CredentialRetrieverFactory credentials = CredentialRetrieverFactory.forImage(reference, event -> { });
        return image.addCredentialRetriever(credentials.dockerConfig());
    }

    static boolean isLoopback(String registry) {
        String host = registry.startsWith("[") ? registry.substring(1, registry.indexOf(']'))
                : registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    /** Third-party jars (rarely change) or the project's own jars (every commit), from lib/boot and lib/main. */
    private static FileEntriesLayer libraries(Path app, String name, boolean own) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        for (String dir : List.of("lib/boot", "lib/main")) {
            Path source = app.resolve(dir);
            if (!Files.isDirectory(source)) {
                continue;
            }
            try (Stream<Path> jars = Files.list(source)) {
                for (Path jar : jars.sorted().toList()) {
                    if (jar.getFileName().toString().startsWith("dev.registrymesh.") == own) {
                        layer.addEntry(jar, APP.resolve(dir).resolve(jar.getFileName().toString()), FilePermissions.DEFAULT_FILE_PERMISSIONS,
                                FileEntriesLayer.DEFAULT_MODIFICATION_TIME);
                    }
                }
            }
        }
        return layer.build();
    }

    /** quarkus-run.jar, app/ and quarkus/ (generated at build time): changes with every build. */
    private static FileEntriesLayer application(Path app) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("application");
        layer.addEntry(app.resolve("quarkus-run.jar"), APP.resolve("quarkus-run.jar"));
        for (String dir : List.of("app", "quarkus")) {
            if (Files.isDirectory(app.resolve(dir))) {
                layer.addEntryRecursive(app.resolve(dir), APP.resolve(dir));
            }
        }
        if (Files.isRegularFile(app.resolve("quarkus-app-dependencies.txt"))) {
            layer.addEntry(app.resolve("quarkus-app-dependencies.txt"), APP.resolve("quarkus-app-dependencies.txt"));
        }
        return layer.build();
    }

    /** The health check script, and /data owned by the service's user (a named volume copies that ownership). */
    private static FileEntriesLayer runtime(ServiceImage service, String user) throws IOException {
        Path scratch = Files.createTempDirectory("mesh-image-");
        scratch.toFile().deleteOnExit();
        Path script = scratch.resolve("healthcheck");
        String text;
        try (InputStream in = BuildImages.class.getResourceAsStream("healthcheck")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(script, text.replace("@MANAGEMENT_PORT@", Integer.toString(service.managementPort())));
        script.toFile().deleteOnExit();
        Path data = Files.createDirectory(scratch.resolve("data"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        data.toFile().deleteOnExit();
        return FileEntriesLayer.builder().setName("runtime")
                .addEntry(script, APP.resolve("bin/healthcheck"), FilePermissions.fromOctalString("755"),
                        FileEntriesLayer.DEFAULT_MODIFICATION_TIME)
                .addEntry(data, DATA, FilePermissions.fromOctalString("750"), FileEntriesLayer.DEFAULT_MODIFICATION_TIME, user)
                .build();
    }

    /** OCI annotation keys (image-spec annotations.md), written as image labels: Jib has no manifest annotations. */
    static Map<String, String> labels(ServiceImage service, Options options, Instant created) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.title", service.module());
        labels.put("org.opencontainers.image.description", service.description());
        labels.put("org.opencontainers.image.source", options.source());
        labels.put("org.opencontainers.image.revision", options.revision());
        labels.put("org.opencontainers.image.version", projectVersion());
        labels.put("org.opencontainers.image.created", created.toString());
        labels.put("org.opencontainers.image.base.name", options.base());
        labels.put("dev.registrymesh.port", Integer.toString(service.port()));
        labels.put("dev.registrymesh.management-port", Integer.toString(service.managementPort()));
        labels.put("dev.registrymesh.healthcheck", "/app/bin/healthcheck");
        return labels;
    }

    static String projectVersion() {
        Properties properties = new Properties();
        try (InputStream in = BuildImages.class.getResourceAsStream("build.properties")) {
            properties.load(in);
        } catch (IOException | NullPointerException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }
}
