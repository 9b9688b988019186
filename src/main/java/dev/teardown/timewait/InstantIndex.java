package dev.teardown.timewait;

/**
 * The index of the first instant at or after a time (instants are the multiples of the step), remembering the last
 * instant found and the times it covers, {@code (index - 1) * step < t <= index * step}: the times asked come in runs
 * within one step (connections ending one after another), so most answers need no division. One per call site, so
 * that alternating sites (an interval's start and its end) do not evict each other.
 */
final class InstantIndex {
    private final long stepNanos;
    /** Indexes below this (in magnitude) have a time that fits a long, so their bounds can be remembered. */
    private final long maxRemembered;
    private long low = Long.MAX_VALUE;
    private long high = Long.MIN_VALUE;
    private long index;

    /** @param stepNanos the distance between instants, positive */
    InstantIndex(long stepNanos) {
        if (stepNanos <= 0) throw new IllegalArgumentException("step must be positive, not " + stepNanos);
        this.stepNanos = stepNanos;
        this.maxRemembered = Long.MAX_VALUE / stepNanos - 1;
    }

    /** The index of the first instant at or after {@code nanos} (a ceiling division that also holds before 1970). */
    long of(long nanos) {
        if (nanos > low && nanos <= high) return index;
        long k = -Math.floorDiv(-nanos, stepNanos);
        if (Math.abs(k) < maxRemembered) {
            index = k;
            high = k * stepNanos;
            low = high - stepNanos;
        }
        return k;
    }
}
