package dev.registrymesh.testkit;

/** Closes what a test started, in the order given, skipping what never started and going on past failures. */
public final class Closing {
    private Closing() {
    }

    /** Closes each non-null resource; the first failure is thrown once all have been tried. */
    public static void all(AutoCloseable... resources) {
        RuntimeException first = null;
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException runtime ? runtime : new IllegalStateException("cannot close " + resource, e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
