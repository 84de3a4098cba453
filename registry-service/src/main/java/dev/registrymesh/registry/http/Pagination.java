package dev.registrymesh.registry.http;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** One page of a lexically sorted list, as {@code ?n=&last=} ask for it, with the next page's link. */
record Pagination(List<String> items, String next) {

    /**
     * @param sorted the whole list, sorted
     * @param n      the {@code n} parameter (null: as many as {@code maxPage})
     * @param last   the {@code last} parameter: the page starts after it
     * @param path   the endpoint, for the {@code Link} header
     */
    static Pagination of(List<String> sorted, String n, String last, int maxPage, String path) {
        int size = maxPage;
        if (n != null) {
            try {
                size = Math.min(Integer.parseInt(n.trim()), maxPage);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0) {
                throw new OciException(ErrorCode.PAGINATION_NUMBER_INVALID, "n must be a number from 0", Map.of("n", n));
            }
        }
        int start = 0;
        if (last != null && !last.isEmpty()) {
            int found = Collections.binarySearch(sorted, last);
            start = found >= 0 ? found + 1 : -found - 1;
        }
        int end = (int) Math.min((long) start + size, sorted.size());
        List<String> items = start >= end ? List.of() : sorted.subList(start, end);
        String next = null;
        if (size > 0 && end < sorted.size()) {
            next = "<" + path + "?n=" + size + "&last=" + URLEncoder.encode(items.get(items.size() - 1), StandardCharsets.UTF_8)
                    + ">; rel=\"next\"";
        }
        return new Pagination(items, next);
    }
}
