package dev.teardown.report;

import java.util.Arrays;

/**
 * The fixed bins of the idle-before-close histogram: under 1 ms, then ten bins a decade from 1 ms to 10,000 s on
 * the Renard R10 series (ISO 3: 1, 1.25, 1.6, 2, 2.5, 3.15, 4, 5, 6.3, 8, so the edges read as round numbers and
 * sit evenly on a log axis), then 10,000 s and more. Idle times span milliseconds (a client that closes at once)
 * to minutes (nginx's 75 s {@code keepalive_timeout}); ten bins a decade still part a 5 s timeout from a 6 s one.
 */
public final class IdleBins {
    /** The R10 steps of one decade, in thousandths. */
    private static final long[] R10 = {1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300, 8000};
    /** Decades from 1 ms on. */
    private static final int DECADES = 7;
    /** Bins: one under 1 ms, ten per decade, one open-ended. */
    public static final int COUNT = 2 + 10 * DECADES;
    /** Lower edge of each bin in nanoseconds; bin i is {@code [LOW[i], LOW[i + 1])}, the last one unbounded. */
    private static final long[] LOW = new long[COUNT];

    static {
        LOW[0] = 0;
        long decade = 1_000; // R10 thousandths times this: nanoseconds, from 1 ms
        for (int d = 0; d < DECADES; d++, decade *= 10) {
            for (int j = 0; j < R10.length; j++) LOW[1 + 10 * d + j] = R10[j] * decade;
        }
        LOW[COUNT - 1] = 1000 * decade;
    }

    private IdleBins() {}

    /** The bin of an idle time in nanoseconds (negative counts as 0). */
    public static int of(long nanos) {
        int i = Arrays.binarySearch(LOW, Math.max(0, nanos));
        return i >= 0 ? i : -i - 2;
    }

    /** The lower edge of bin {@code i}, in nanoseconds. */
    public static long low(int i) {
        return LOW[i];
    }

    /** The upper edge of bin {@code i} (excluded), in nanoseconds; {@link Long#MAX_VALUE} for the last bin. */
    public static long high(int i) {
        return i + 1 < COUNT ? LOW[i + 1] : Long.MAX_VALUE;
    }
}
