package dev.registrymesh.registry.http;

import dev.registrymesh.common.ByteRange;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The byte ranges of uploads: {@code Content-Range: start-end} in, {@code Range: 0-<last>} out. Downloads: {@link ByteRange}. */
final class Ranges {
    private static final Pattern CHUNK_RANGE = Pattern.compile("([0-9]{1,19})-([0-9]{1,19})");

    private Ranges() {
    }

    /** The {@code Range} header of an upload holding {@code size} bytes: {@code 0-<last byte>}, or {@code 0-0}. */
    static String uploadRange(long size) {
        return "0-" + Math.max(0, size - 1);
    }

    /**
     * Parses an upload chunk's {@code Content-Range}, which the spec defines as {@code <start>-<end>} in bytes
     * and nothing else: any other form (units, {@code bytes=}, {@code /total}, signs, spaces, end before start,
     * numbers too long for a long) is RANGE_INVALID, refused before the upload is touched. Null when absent.
     */
    static ByteRange parseChunkRange(String header) {
        if (header == null || header.isEmpty()) {
            return null;
        }
        Matcher m = CHUNK_RANGE.matcher(header);
        try {
            if (m.matches()) {
                long start = Long.parseLong(m.group(1));
                long end = Long.parseLong(m.group(2));
                if (end >= start) {
                    return new ByteRange(start, end);
                }
            }
        } catch (NumberFormatException tooLong) {
            // falls through to the refusal
        }
        throw new OciException(ErrorCode.RANGE_INVALID, "invalid Content-Range: " + header
                + " (expected <start>-<end>, e.g. 0-1023)", Map.of("Content-Range", header));
    }
}
