package dev.registrymesh.testkit;

import java.io.InputStream;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * {@code size} pseudo-random bytes from a seed, produced as they are read (no buffer). The bytes are the
 * little-endian bytes of successive {@link SplittableRandom#nextLong()} values, so the content does not
 * depend on how the reader slices its reads.
 */
final class RandomInputStream extends InputStream {

    private final SplittableRandom random;
    private long remaining;
    private long word;
    private int bytesLeftInWord;

    RandomInputStream(long seed, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        this.random = new SplittableRandom(seed);
        this.remaining = size;
    }

    @Override
    public int read() {
        if (remaining == 0) {
            return -1;
        }
        remaining--;
        return nextByte();
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (remaining == 0) {
            return -1;
        }
        int n = (int) Math.min(len, remaining);
        int i = off;
        int end = off + n;
        // Finish the current word, then whole words, then the start of the next one.
        while (i < end && bytesLeftInWord > 0) {
            b[i++] = (byte) nextByte();
        }
        while (end - i >= 8) {
            long w = random.nextLong();
            for (int k = 0; k < 8; k++) {
                b[i++] = (byte) w;
                w >>>= 8;
            }
        }
        while (i < end) {
            b[i++] = (byte) nextByte();
        }
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) {
        long todo = Math.max(0, Math.min(n, remaining));
        long left = todo;
        while (left > 0 && bytesLeftInWord > 0) {
            nextByte();
            left--;
        }
        for (; left >= 8; left -= 8) {
            random.nextLong();
        }
        while (left > 0) {
            nextByte();
            left--;
        }
        remaining -= todo;
        return todo;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    private int nextByte() {
        if (bytesLeftInWord == 0) {
            word = random.nextLong();
            bytesLeftInWord = 8;
        }
        int value = (int) (word & 0xff);
        word >>>= 8;
        bytesLeftInWord--;
        return value;
    }
}
