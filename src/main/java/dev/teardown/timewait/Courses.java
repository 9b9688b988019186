package dev.teardown.timewait;

import dev.teardown.capture.PacketTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Per key (server endpoint, host, client and server pair), the course of its TIME_WAIT populations held as
 * server and as client, told by a {@link StepCounts}' rows: peak and when, sum over instants (for the mean), a
 * {@link Shape} when asked for, and event counts ({@link Tally}).
 *
 * <p>Memory: the keys holding something now (bounded by the connections the tracker holds, since a connection
 * is held until its TIME_WAIT ends) plus, of the keys that hold nothing any more, the {@link #capacity} with the
 * highest peaks; a key forgotten to make room is {@link #forgotten counted}, and if it comes back its figures
 * start again.
 */
final class Courses<K extends Comparable<K>> implements StepCounts.Rows<K> {
    /** The populations followed, and their index in an entry's arrays; {@code TOTAL} is the sum of the others. */
    static final int SERVER = 0;
    static final int CLIENT = 1;
    static final int TOTAL = 2;

    /** What is counted per key besides populations. */
    enum Tally {
        /** TIME_WAITs entered by the server side. */
        ENTERED_SERVER,
        /** TIME_WAITs entered by the client side. */
        ENTERED_CLIENT,
        /** SYNs that reused the tuple of a connection still in TIME_WAIT, accepted. */
        REUSE_ACCEPTED,
        /** SYNs to a tuple in TIME_WAIT answered by a bare ACK (refused; the client retries). */
        REUSE_REFUSED,
        /** TIME_WAIT time the accepted SYNs cut short, in nanoseconds, summed over holders. */
        REUSE_CUT_NANOS
    }

    private final int capacity;
    private final boolean shapes;
    private long originNanos;
    private final long stepNanos;
    private final Map<K, Entry<K>> entries = new HashMap<>();
    /** Entries holding nothing now, lowest peak first: the first to forget. */
    private final TreeSet<Entry<K>> idle = new TreeSet<>(Courses::lowestFirst);
    private long nextSeq;
    /** The entry looked up last (never one forgotten since): tallies and rows come in runs of one key. */
    private Entry<K> lastEntry;

    /** Lowest peak first, then the older entry. */
    private static int lowestFirst(Entry<?> a, Entry<?> b) {
        int c = Long.compare(a.best(), b.best());
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    }
    private long forgotten;

    /** One key's figures. */
    static final class Entry<K> {
        final K key;
        final long seq;
        final long[] peak = new long[3];
        final long[] peakAt = {PacketTime.UNSET, PacketTime.UNSET, PacketTime.UNSET};
        final boolean[] peakPartial = new boolean[3];
        final long[] sum = new long[3];
        final long[] tally = new long[Tally.values().length];
        final Shape.Builder[] shape;
        boolean idle;

        Entry(K key, long seq, Shape.Builder[] shape) {
            this.key = key;
            this.seq = seq;
            this.shape = shape;
        }

        long best() {
            return Math.max(peak[TOTAL], Math.max(peak[SERVER], peak[CLIENT]));
        }

        /** The figures of population {@code i} over {@code instants} instants. */
        Peak peak(int i, long instants) {
            if (peak[i] == 0) return Peak.NONE;
            return new Peak(peak[i], peakAt[i], instants <= 0 ? 0 : (double) sum[i] / instants, peakPartial[i]);
        }

        long tally(Tally t) {
            return tally[t.ordinal()];
        }

        /** The shape of population {@code i} up to {@code endNanos}, or null when shapes are not kept. */
        Series shape(int i, long endNanos) {
            return shape == null ? null : shape[i].build(endNanos);
        }
    }

    /**
     * @param capacity idle keys kept
     * @param shapes whether to keep each key's {@link Shape}s (server and client), which begin at {@link #start}
     */
    Courses(int capacity, boolean shapes, long stepNanos) {
        this.capacity = capacity;
        this.shapes = shapes;
        this.stepNanos = stepNanos;
    }

    /** The capture's first instant, where shapes begin; called before any row. */
    void start(long originNanos) {
        this.originNanos = originNanos;
    }

    @Override
    public void row(long timeNanos, K key, long[] values, boolean partial) {
        Entry<K> e = entry(key);
        if (e.idle) {
            idle.remove(e);
            e.idle = false;
        }
        long server = values[Count.TIME_WAIT_SERVER.ordinal()];
        long client = values[Count.TIME_WAIT_CLIENT.ordinal()];
        at(e, SERVER, timeNanos, server, partial);
        at(e, CLIENT, timeNanos, client, partial);
        at(e, TOTAL, timeNanos, server + client, partial);
    }

    private void at(Entry<K> e, int i, long t, long v, boolean partial) {
        e.sum[i] += v;
        if (v > e.peak[i]) {
            e.peak[i] = v;
            e.peakAt[i] = t;
            e.peakPartial[i] = partial;
        }
        if (e.shape != null && i != TOTAL) e.shape[i].at(t, v);
    }

    @Override
    public void retired(K key) {
        Entry<K> e = entries.get(key);
        if (e == null || e.idle) return;
        e.idle = true;
        idle.add(e);
        while (entries.size() > capacity && !idle.isEmpty()) {
            Entry<K> drop = idle.pollFirst();
            entries.remove(drop.key);
            if (drop == lastEntry) lastEntry = null;
            forgotten++;
        }
    }

    /** Adds {@code n} to {@code key}'s {@code t}. */
    void tally(K key, Tally t, long n) {
        entry(key).tally[t.ordinal()] += n;
    }

    /** Keys forgotten to make room (see the class comment). */
    long forgotten() {
        return forgotten;
    }

    /** Every entry kept, highest peak first, then in key order. */
    List<Entry<K>> ranked() {
        List<Entry<K>> all = new ArrayList<>(entries.values());
        all.sort(Comparator.comparingLong((Entry<K> e) -> -e.best()).thenComparing(e -> e.key));
        return all;
    }

    private Entry<K> entry(K key) {
        Entry<K> last = lastEntry;
        if (last != null && (last.key == key || key.equals(last.key))) return last; // the same key as before, mostly
        Entry<K> e = entries.get(key);
        if (e == null) {
            Shape.Builder[] s = shapes
                ? new Shape.Builder[] {new Shape.Builder(originNanos, stepNanos), new Shape.Builder(originNanos, stepNanos)}
                : null;
            entries.put(key, e = new Entry<>(key, nextSeq++, s));
            if (entries.size() > capacity && !idle.isEmpty()) {
                entries.remove(idle.pollFirst().key);
                forgotten++;
            }
        }
        lastEntry = e;
        return e;
    }
}
