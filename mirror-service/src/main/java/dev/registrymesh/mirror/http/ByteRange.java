package dev.registrymesh.mirror.http;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;

/** A single {@code Range: bytes=start-[end]} (or suffix {@code bytes=-n}) against a blob of known size. */
final class ByteRange {
    private ByteRange() {
    }

    /** {start, end} inclusive, or null for the whole blob (no header, or a form we do not serve partially). */
    static long[] parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            long start;
            long end;
            if (dash == 0) {
                long suffix = Long.parseLong(spec.substring(1));
                start = Math.max(0, size - suffix);
                end = size - 1;
            } else {
                start = Long.parseLong(spec.substring(0, dash));
                end = dash == spec.length() - 1 ? size - 1 : Math.min(size - 1, Long.parseLong(spec.substring(dash + 1)));
            }
            if (start > end || start >= size) {
                throw new OciException(ErrorCode.RANGE_INVALID, "range " + header + " is outside the blob of " + size + " bytes");
            }
            return new long[] {start, end};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
