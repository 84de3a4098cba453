package dev.registrymesh.registry.http;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;

/** The byte ranges of uploads ({@code Content-Range: start-end}) and downloads ({@code Range: bytes=...}). */
final class Ranges {
    private Ranges() {
    }

    /** The {@code Range} header of an upload holding {@code size} bytes: {@code 0-<last byte>}, or {@code 0-0}. */
    static String uploadRange(long size) {
        return "0-" + Math.max(0, size - 1);
    }

    /** An inclusive byte range. */
    record Span(long start, long end) {
        long length() {
            return end - start + 1;
        }
    }

    /**
     * Parses an upload chunk's {@code Content-Range: <start>-<end>} (a {@code bytes } prefix is tolerated).
     * Null when the header is absent.
     */
    static Span parseChunkRange(String header) {
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
            return new Span(start, end);
        } catch (RuntimeException e) {
            throw new OciException(ErrorCode.RANGE_INVALID, "invalid Content-Range: " + header);
        }
    }

    /**
     * The part of a blob of {@code size} bytes that a download's {@code Range} header asks for, or null for
     * the whole blob (no header, or a form we do not serve partially, such as several ranges).
     * An unsatisfiable range is RANGE_INVALID (416).
     */
    static Span parseDownloadRange(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        try {
            if (dash < 0) {
                return null;
            }
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            long start;
            long end;
            if (first.isEmpty()) { // suffix: the last N bytes
                long suffix = Long.parseLong(last);
                if (suffix <= 0) {
                    throw unsatisfiable(header, size);
                }
                start = Math.max(0, size - suffix);
                end = size - 1;
            } else {
                start = Long.parseLong(first);
                end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            }
            if (start < 0 || start >= size || end < start) {
                throw unsatisfiable(header, size);
            }
            return new Span(start, end);
        } catch (NumberFormatException e) {
            return null; // malformed: RFC 9110 says ignore the header
        }
    }

    private static OciException unsatisfiable(String header, long size) {
        return new OciException(ErrorCode.RANGE_INVALID, "range " + header + " is outside the blob of " + size + " bytes");
    }
}
