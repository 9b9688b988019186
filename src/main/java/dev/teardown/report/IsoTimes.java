package dev.teardown.report;

/**
 * {@link Times#appendIso} for one output, remembering the text up to the second: rows come in packet time, so most
 * times share their second with the one written before and only the six digits of microseconds are new.
 * Not thread-safe: one per sink.
 */
final class IsoTimes {
    /** The microseconds and the 'Z': always seven characters, whatever the year. */
    private static final int TAIL = 7;
    private long second = Long.MIN_VALUE;
    private boolean known;
    private final StringBuilder scratch = new StringBuilder(32);
    /** The text up to the second, as bytes (ASCII). */
    private byte[] prefix;

    /** Appends {@code epochNanos} as {@link Times#iso} writes it. */
    void append(ByteLine b, long epochNanos) {
        int us = toSecond(epochNanos);
        b.append(prefix).appendPadded(us, 6).append('Z');
    }

    /** Makes the prefix {@code epochNanos}'s second's, if it is not; returns the microseconds within the second. */
    private int toSecond(long epochNanos) {
        long micros = Math.floorDiv(epochNanos, 1000L);
        long s = Math.floorDiv(micros, 1_000_000L);
        if (!known || s != second) {
            scratch.setLength(0);
            Times.appendIso(scratch, epochNanos);
            prefix = scratch.substring(0, scratch.length() - TAIL).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            second = s;
            known = true;
        }
        return (int) Math.floorMod(micros, 1_000_000L);
    }
}
