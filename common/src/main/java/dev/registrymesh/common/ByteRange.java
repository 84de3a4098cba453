package dev.registrymesh.common;

/** An inclusive byte range of a blob, as HTTP {@code Range} and {@code Content-Range} headers name them. */
public record ByteRange(long start, long end) {

    public ByteRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid byte range " + start + "-" + end);
        }
    }

    public long length() {
        return end - start + 1;
    }

    /**
     * The part of a blob of {@code size} bytes that a download's {@code Range} header asks for, or null for the
     * whole blob: no header, or a form served whole (several ranges; a malformed header, which RFC 9110 says
     * to ignore). A range that starts past the end is RANGE_INVALID (416).
     */
    public static ByteRange ofDownload(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        long start;
        long end;
        try {
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            if (first.isEmpty()) { // a suffix: the last N bytes
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
        } catch (NumberFormatException e) {
            return null;
        }
        if (start < 0 || start >= size || end < start) {
            throw unsatisfiable(header, size);
        }
        return new ByteRange(start, end);
    }

    /** The {@code Content-Range} of this part of a blob of {@code size} bytes. */
    public String contentRange(long size) {
        return "bytes " + start + "-" + end + "/" + size;
    }

    private static OciException unsatisfiable(String header, long size) {
        return new OciException(ErrorCode.RANGE_INVALID, "range " + header + " is outside the blob of " + size + " bytes");
    }
}
