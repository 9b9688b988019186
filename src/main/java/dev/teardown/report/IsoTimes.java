package dev.teardown.report;

/**
 * {@link Times#appendIso} for one output, remembering the text up to the second of the last few seconds written:
 * rows come in packet time, so most times share their second with one written lately and only the six digits of
 * microseconds are new. A row's times lie in a few seconds (its first and last packet, a TIME_WAIT's start, and
 * its end up to a minute later), so the seconds are kept by {@link #SLOTS} slots, one per second modulo that
 * number: a row's end then does not push out the second its next row begins in.
 * Not thread-safe: one per sink.
 */
final class IsoTimes {
    /** The microseconds and the 'Z': always seven characters, whatever the year. */
    private static final int TAIL = 7;
    /** Slots, a power of two above the default TIME_WAIT length of 60 s. */
    static final int SLOTS = 128;
    private final long[] seconds = new long[SLOTS];
    private final byte[][] prefixes = new byte[SLOTS][];
    private final StringBuilder scratch = new StringBuilder(32);

    /** Appends {@code epochNanos} as {@link Times#iso} writes it. */
    void append(ByteLine b, long epochNanos) {
        long micros = Math.floorDiv(epochNanos, 1000L);
        long s = Math.floorDiv(micros, 1_000_000L);
        int slot = (int) s & (SLOTS - 1);
        byte[] prefix = prefixes[slot];
        if (prefix == null || seconds[slot] != s) prefix = fill(slot, s, epochNanos);
        b.append(prefix).appendPadded((int) Math.floorMod(micros, 1_000_000L), 6).append('Z');
    }

    /** Makes slot {@code slot} second {@code s}'s (that of {@code epochNanos}); returns its prefix. */
    private byte[] fill(int slot, long s, long epochNanos) {
        scratch.setLength(0);
        Times.appendIso(scratch, epochNanos);
        byte[] prefix = scratch.substring(0, scratch.length() - TAIL).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        prefixes[slot] = prefix;
        seconds[slot] = s;
        return prefix;
    }
}
