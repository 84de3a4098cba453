package dev.registrymesh.testkit;

import java.nio.file.Path;

/**
 * Command line for benchmarks and manual trials: writes a deterministic test image as an OCI layout.
 * {@code java -cp <testkit and common jars> dev.registrymesh.testkit.GenerateImage <dir> <seed> <layers> <layer bytes> <tag>}
 */
public final class GenerateImage {
    private GenerateImage() {
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: GenerateImage <layout dir> <seed> <layers> <layer bytes> <tag>");
            System.exit(2);
        }
        TestImages.Image image = TestImages.writeImage(Path.of(args[0]), Long.parseLong(args[1]),
                Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4]);
        System.out.println(image.ociRef() + " " + image.manifest().digest());
    }
}
