package dev.registrymesh.auth.keys;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The key ring of a running node, read again from the key directory now and then: keys that another node of a
 * shared directory made (a rotation) are published here too, and sign once their activation delay has passed.
 */
public final class LiveKeys {
    private final KeyDirectory directory;
    private final Duration activation;
    private final Clock clock;
    private volatile KeyRing ring;

    public LiveKeys(KeyDirectory directory, Duration activation, Clock clock) throws IOException {
        this.directory = directory;
        this.activation = activation;
        this.clock = clock;
        refresh();
    }

    public KeyRing ring() {
        return ring;
    }

    /** Reads the directory again; keeps the current ring when it holds no key (a directory being replaced). */
    public void refresh() throws IOException {
        List<SigningKey> keys = directory.load();
        if (!keys.isEmpty()) {
            ring = new KeyRing(keys, clock.instant(), activation);
        } else if (ring == null) {
            throw new IOException("no signing key in " + directory.dir());
        }
    }
}
