package dev.teardown.http;

/**
 * The hard limits that keep the HTTP stage's memory per connection small and bounded; each limit hit is
 * counted as a {@link HttpAnomaly}.
 *
 * @param maxLineBytes longest start line, field line or chunk-size line, without CRLF; also the most a
 *     direction ever buffers for a line split across segments
 * @param maxHeadBytes largest head (start line and fields) or trailer section; counted, never buffered
 * @param maxPendingRequests most requests waiting for responses whose details are kept
 * @param maxHeldSegments most out-of-order segments held per direction while waiting for a hole to fill
 * @param maxHeldBytes most out-of-order payload bytes held per direction
 * @param maxValueChars longest kept header text (Connection tokens, Keep-Alive parameters)
 */
public record HttpLimits(int maxLineBytes, int maxHeadBytes, int maxPendingRequests, int maxHeldSegments,
                         int maxHeldBytes, int maxValueChars) {

    public HttpLimits {
        if (maxLineBytes < 64 || maxHeadBytes < maxLineBytes || maxPendingRequests < 1 || maxHeldSegments < 1
                || maxHeldBytes < 1 || maxValueChars < 8) {
            throw new IllegalArgumentException("HTTP limits too small: " + maxLineBytes + "/" + maxHeadBytes
                + "/" + maxPendingRequests + "/" + maxHeldSegments + "/" + maxHeldBytes + "/" + maxValueChars);
        }
    }

    /**
     * 8 KiB lines (Apache httpd's LimitRequestLine and nginx's large header buffers are 8 KiB), 64 KiB
     * heads, 32 pending requests, 4 held segments and 64 KiB held per direction, 64 characters kept per value.
     */
    public static HttpLimits defaults() {
        return DEFAULTS;
    }

    /** One instance, so that a decoder can tell a head parsed ahead under its own limits by identity ({@link HeadScan}). */
    private static final HttpLimits DEFAULTS = new HttpLimits(8192, 65536, 32, 4, 65536, 64);
}
