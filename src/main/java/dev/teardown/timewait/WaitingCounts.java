package dev.teardown.timewait;

import java.util.Map;
import java.util.TreeMap;

/**
 * The TIME_WAIT starts of the connections held with a side in TIME_WAIT, counted per instant of the timeline (the
 * first instant at or after each start): the timeline needs only the instant of the earliest start, since the
 * instants before it are the ones no connection held can still change. A count per instant in a ring makes adding
 * and removing a start an array update, where a heap of exact times cost a logarithmic walk over memory per
 * connection. Memory: the ring spans the instants between the earliest and the latest start held (at most
 * {@link #MAX_RING}); a start further out waits in a sorted map.
 */
final class WaitingCounts {
    /** Most instants the ring spans. */
    static final int MAX_RING = 1 << 20;
    private final long stepNanos;
    private final InstantIndex index;
    private int[] ring = new int[256];
    /** The lowest instant index the ring may hold a start at; every start in the ring is in [lo, lo + ring.length). */
    private long lo;
    /** The highest instant index the ring has held a start at since it was last empty. */
    private long hi;
    private int inRing;
    /** Starts at instants outside the ring's span, by instant index; null when none. */
    private TreeMap<Long, Integer> far;
    private int size;

    /** @param stepNanos the timeline's step, positive */
    WaitingCounts(long stepNanos) {
        this.stepNanos = stepNanos;
        this.index = new InstantIndex(stepNanos);
    }

    /** Adds a start at {@code nanos}. */
    void add(long nanos) {
        long k = index(nanos);
        size++;
        if (inRing == 0) {
            lo = k;
            hi = k;
        } else if (k < lo || k > hi) {
            long from = Math.min(lo, k);
            long to = Math.max(hi, k);
            if (to - from >= ring.length) grow(to - from);
            if (to - from >= ring.length) {
                if (far == null) far = new TreeMap<>();
                far.merge(k, 1, Integer::sum);
                return;
            }
            lo = from;
            hi = to;
        }
        ring[slot(k)]++;
        inRing++;
    }

    /** Removes a start at {@code nanos}, which was added. */
    void remove(long nanos) {
        long k = index(nanos);
        size--;
        if (far != null) {
            Integer n = far.get(k);
            if (n != null) {
                if (n == 1) far.remove(k);
                else far.put(k, n - 1);
                if (far.isEmpty()) far = null;
                return;
            }
        }
        ring[slot(k)]--;
        inRing--;
    }

    /**
     * A time in the instant step of the earliest start held (the instant index at or after it is the earliest
     * start's), or {@link Long#MAX_VALUE} when none: what the timeline compares with instants.
     */
    long min() {
        long k = Long.MAX_VALUE;
        if (inRing > 0) {
            while (ring[slot(lo)] == 0) lo++;
            k = lo;
        }
        if (far != null) k = Math.min(k, far.firstKey());
        // The step's first nanosecond: (k - 1) * step < t <= k * step is instant k's.
        return k == Long.MAX_VALUE ? k : (k - 1) * stepNanos + 1;
    }

    /** Starts held. */
    int size() {
        return size;
    }

    /** Forgets every start (their connections were dropped). */
    void clear() {
        java.util.Arrays.fill(ring, 0);
        inRing = 0;
        far = null;
        size = 0;
    }

    /** Widens the ring to span {@code span} instants, up to {@link #MAX_RING}. */
    private void grow(long span) {
        int n = ring.length;
        while (n <= span && n < MAX_RING) n *= 2;
        if (n == ring.length) return;
        int[] wider = new int[n];
        for (long k = lo; k <= hi; k++) wider[(int) (k & (n - 1))] = ring[slot(k)];
        ring = wider;
    }

    private int slot(long k) {
        return (int) (k & (ring.length - 1));
    }

    /** The index of the first instant at or after {@code nanos}. */
    private long index(long nanos) {
        return index.of(nanos);
    }

    /** For tests: the far starts' instants. */
    Map<Long, Integer> far() {
        return far == null ? Map.of() : far;
    }
}
