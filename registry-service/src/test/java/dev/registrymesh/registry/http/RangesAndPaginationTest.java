package dev.registrymesh.registry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registrymesh.common.ByteRange;
import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The header arithmetic of uploads, downloads and pages, without a server. */
class RangesAndPaginationTest {

    @ParameterizedTest
    @CsvSource({"0, 0-0", "1, 0-0", "2, 0-1", "1000, 0-999"})
    void uploadRange(long size, String header) {
        assertEquals(header, Ranges.uploadRange(size));
    }

    @ParameterizedTest
    @CsvSource({"0-0, 0, 0", "0-99, 0, 99", "100-199, 100, 199", "9223372036854775806-9223372036854775806, 9223372036854775806, 9223372036854775806"})
    void chunkRange(String header, long start, long end) {
        assertEquals(new ByteRange(start, end), Ranges.parseChunkRange(header));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "-5", "9-5", "a-b", "0-", "-0", "bytes */10", "bytes 5-9/*", "bytes=5-9", "bytes 5-9/10", "items 0-9",
            "0-9/10", "+0-9", "0-+9", "-1-5", "0 - 9", " 0-9", "0-9 ", "0x0-0x9", "0-9,10-19", "1e3-2e3", "٠-٩", "99999999999999999999-99999999999999999999",
            "0-99999999999999999999", "  "})
    void invalidChunkRangeIs416(String header) {
        OciException e = assertThrows(OciException.class, () -> Ranges.parseChunkRange(header));
        assertEquals(ErrorCode.RANGE_INVALID, e.code());
        assertEquals(416, e.status());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {""})
    void noChunkRange(String header) {
        assertNull(Ranges.parseChunkRange(header));
    }

    /** size 100; an empty expectation means "send the whole blob". */
    @ParameterizedTest
    @CsvSource({
            "bytes=0-9,     0,  9",
            "bytes=90-,     90, 99",
            "bytes=-10,     90, 99",
            "bytes=-1000,   0,  99",
            "bytes=50-1000, 50, 99",
            "bytes=0-0,     0,  0",
            "bytes=99-99,   99, 99",
    })
    void downloadRange(String header, long start, long end) {
        assertEquals(new ByteRange(start, end), ByteRange.ofDownload(header, 100));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"items=0-9", "bytes=0-9,20-29", "bytes=x-y", "bytes=5", "bytes=-"})
    void downloadRangeIgnored(String header) {
        assertNull(ByteRange.ofDownload(header, 100));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=100-", "bytes=100-200", "bytes=-0", "bytes=9-5"})
    void unsatisfiableDownloadRange(String header) {
        OciException e = assertThrows(OciException.class, () -> ByteRange.ofDownload(header, 100));
        assertEquals(416, e.status());
    }

    private static final List<String> ITEMS = List.of("a", "b", "c", "d", "e");

    /** n, last -> the page (items joined by '|') and the next link's query, or "-" when there is none. */
    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "null, null, a|b|c|d|e, -",
            "2,    null, a|b,       n=2&last=b",
            "2,    b,    c|d,       n=2&last=d",
            "2,    d,    e,         -",
            "5,    null, a|b|c|d|e, -",
            "9,    null, a|b|c|d|e, -",
            "0,    null, '',        -",
            "3,    bb,   c|d|e,     -",
            "3,    0,    a|b|c,     n=3&last=c",
            "3,    z,    '',        -",
            "' 2', null, a|b,       n=2&last=b",
    })
    void pages(String n, String last, String items, String nextQuery) {
        Pagination page = Pagination.of(ITEMS, n, last, 1000, "/v2/_catalog");
        assertEquals(items.isEmpty() ? List.of() : Arrays.asList(items.split("\\|")), page.items());
        assertEquals(nextQuery.equals("-") ? null : "</v2/_catalog?" + nextQuery + ">; rel=\"next\"", page.next());
    }

    @ParameterizedTest
    @CsvSource({"3, a|b|c, n=3&last=c"})
    void maxPageCapsN(int max, String items, String nextQuery) {
        Pagination page = Pagination.of(ITEMS, "100", null, max, "/p");
        assertEquals(Arrays.asList(items.split("\\|")), page.items());
        assertEquals("</p?" + nextQuery + ">; rel=\"next\"", page.next());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "x", "1e3", "", "2147483648"})
    void badN(String n) {
        OciException e = assertThrows(OciException.class, () -> Pagination.of(ITEMS, n, null, 1000, "/p"));
        assertEquals(ErrorCode.PAGINATION_NUMBER_INVALID, e.code());
        assertEquals(400, e.status());
    }
}
