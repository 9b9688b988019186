package dev.teardown.timewait;

import java.util.Arrays;

/**
 * A count's course over the capture in at most {@link TimelineSeries#BUCKETS} buckets of equal width, what a chart
 * draws: each bucket holds the highest value at an instant within it (a population) or the sum over its instants
 * (closes), as its maker says. Small whatever the capture's length.
 *
 * @param originNanos where the first bucket begins (an instant of the timeline)
 * @param bucketNanos each bucket's width: the step, doubled as often as the capture's length needed
 * @param values one value per bucket, in time order; empty when nothing was counted
 */
public record Series(long originNanos, long bucketNanos, long[] values) {
    /** No bucket: nothing was counted. */
    public static final Series EMPTY = new Series(dev.teardown.capture.PacketTime.UNSET, 1, new long[0]);

    public Series {
        values = values.clone();
    }

    @Override
    public long[] values() {
        return values.clone();
    }

    /** Buckets held. */
    public int size() {
        return values.length;
    }

    /** The value of bucket {@code i}. */
    public long at(int i) {
        return values[i];
    }

    /** The highest bucket value (0 when empty). */
    public long max() {
        long m = 0;
        for (long v : values) m = Math.max(m, v);
        return m;
    }

    /** The sum of the bucket values. */
    public long sum() {
        long s = 0;
        for (long v : values) s += v;
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && s.originNanos == originNanos && s.bucketNanos == bucketNanos
            && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(originNanos) * 31 + Long.hashCode(bucketNanos) * 17 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Series[" + originNanos + " +" + bucketNanos + " " + Arrays.toString(values) + "]";
    }
}
