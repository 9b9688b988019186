package dev.teardown.timewait;

import java.util.Arrays;

/**
 * A population's course over the capture in at most {@link #BUCKETS} buckets, each the highest value at an instant
 * within it: what a sparkline or a chart draws, small whatever the capture's length. Built as a {@link Series}.
 */
public final class Shape {
    /** Buckets at most: enough for a sparkline of a terminal line and a chart's width. */
    public static final int BUCKETS = 64;

    private Shape() {}

    /** Accumulates a shape as instants come in time order; the bucket width doubles when the buckets run out. */
    static final class Builder {
        private final long origin;
        private long width;
        private final long[] max = new long[BUCKETS];
        private int used;

        Builder(long originNanos, long stepNanos) {
            origin = originNanos;
            width = stepNanos;
        }

        void at(long timeNanos, long value) {
            long index = Math.floorDiv(timeNanos - origin, width);
            if (index < 0) index = 0; // a late instant before the origin: the first bucket
            while (index >= BUCKETS) {
                // Halve the resolution: bucket i takes buckets 2i and 2i+1.
                for (int i = 0; i < BUCKETS / 2; i++) max[i] = Math.max(max[2 * i], max[2 * i + 1]);
                Arrays.fill(max, BUCKETS / 2, BUCKETS, 0);
                used = (used + 1) / 2;
                width *= 2;
                index = Math.floorDiv(timeNanos - origin, width);
            }
            int i = (int) index;
            if (value > max[i]) max[i] = value;
            used = Math.max(used, i + 1);
        }

        /** Widens to {@code endNanos} (buckets of nothing after the last value), so every shape of a run ends alike. */
        Series build(long endNanos) {
            if (endNanos > origin) at(endNanos, 0);
            return new Series(origin, width, Arrays.copyOf(max, used));
        }
    }
}
