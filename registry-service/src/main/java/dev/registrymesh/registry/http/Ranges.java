package dev.registrymesh.registry.http;

import dev.registrymesh.common.ByteRange;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;

/** The byte ranges of uploads: {@code Content-Range: start-end} in, {@code Range: 0-<last>} out. Downloads: {@link ByteRange}. */
final class Ranges {
    private Ranges() {
    }

    /** The {@code Range} header of an upload holding {@code size} bytes: {@code 0-<last byte>}, or {@code 0-0}. */
    static String uploadRange(long size) {
        return "0-" + Math.max(0, size - 1);
    }

    /**
     * Parses an upload chunk's {@code Content-Range: <start>-<end>} (a {@code bytes } prefix is tolerated).
     * Null when the header is absent.
     */
    static ByteRange parseChunkRange(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.startsWith("bytes")) {
            value = value.substring(5).replaceFirst("^[ =]", "").trim();
        }
        int dash = value.indexOf('-');
        try {
            long start = Long.parseLong(value.substring(0, dash));
            long end = Long.parseLong(value.substring(dash + 1).split("/", 2)[0]);
            if (start < 0 || end < start) {
                throw new NumberFormatException();
            }
            return new ByteRange(start, end);
        } catch (RuntimeException e) {
            throw new OciException(ErrorCode.RANGE_INVALID, "invalid Content-Range: " + header);
        }
    }
}
