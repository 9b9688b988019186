package dev.teardown.timewait;

import dev.teardown.teardown.ServerEndpoint;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Per key (a server endpoint, a host, a client and server pair), the {@link Count}s at instants that are multiples of the step, kept as changes by
 * instant (a difference array, sparse) and written in time order as the caller says which instants are final.
 *
 * <p>An instant {@code t} takes a change made at time {@code x} when {@code t - step < x <= t}: a population
 * that rises at {@code a} and falls at {@code b} is counted at every instant {@code a <= t < b}, and a close at
 * {@code x} is counted at the first instant at or after it (the step that ends there). Memory holds the
 * endpoints with a population above zero and the changes at instants not yet written; nothing of what was
 * written.
 *
 * <p>A change at an instant already written cannot be put right: it is applied at the first instant not yet
 * written, so the populations from there on stay right, and counted as {@link #late}.
 */
final class StepCounts<K extends Comparable<K>> {
    private static final Count[] COUNTS = Count.values();
    private final long stepNanos;
    private final Rows<K> rows;
    /** Most instants the ring of changes spans; changes further ahead wait in {@link #far}. */
    static final int MAX_RING = 1 << 16;
    /**
     * Changes at instants not yet written, by key, in a ring indexed by instant from {@link #next} on: two changes
     * per interval, several intervals per connection, so no boxed instant and no tree walk per change.
     */
    @SuppressWarnings("unchecked")
    private Map<K, long[]>[] ring = new Map[64];
    /** Changes at instants {@link #ring} does not reach yet (a fine step, a far end), by instant. */
    private final TreeMap<Long, Map<K, long[]>> far = new TreeMap<>();
    /** Keys with a population above zero at the last instant written, in row order. */
    private final TreeMap<K, Series<K>> current = new TreeMap<>();
    private boolean started;
    /** Index of the first instant not yet written. */
    private long next;
    /** Instants before this time are {@code partial}. */
    private long partialBefore;
    private long late;
    /** Per call site of {@link #changeAt}, the key and instant changed last and their counters. */
    private final Object[] cacheKey = new Object[SITES];
    private final long[] cacheAt = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
    private final long[][] cacheValues = new long[SITES][];
    /**
     * The call sites: a change at the moment (a connection opening, closing), an interval's start and its end (a
     * TIME_WAIT, told when it ends, so its start lies a TIME_WAIT back): each keeps to its own instants.
     */
    private static final int NOW = 0;
    private static final int START = 1;
    private static final int END = 2;
    private static final int SITES = 3;
    /** Instant indexes per call site. */
    private final InstantIndex[] indexes = new InstantIndex[SITES];

    /** Where the rows go, in time order, then key order, at every instant with a count above zero. */
    interface Rows<K> {
        /** {@code key}'s counts at instant {@code timeNanos}, indexed by {@link Count} ordinal; valid during the call only. */
        void row(long timeNanos, K key, long[] values, boolean partial);

        /** {@code key} holds nothing any more after the last row given for it (until a later change brings it back). */
        default void retired(K key) { }
    }

    /** One key's populations, carried from instant to instant, and its closes in the step being written. */
    private static final class Series<K> {
        final K key;
        final long[] values = new long[COUNTS.length];

        Series(K key) {
            this.key = key;
        }

        boolean any() {
            for (long v : values) if (v != 0) return true;
            return false;
        }

        /** Clears the closes, which count one step only; returns whether a population is still above zero. */
        boolean carry() {
            boolean any = false;
            for (Count c : COUNTS) {
                if (!c.population()) values[c.ordinal()] = 0;
                else if (values[c.ordinal()] != 0) any = true;
            }
            return any;
        }
    }

    /** @param stepNanos the distance between instants, positive; rows go to {@code rows} in time, then key order */
    StepCounts(long stepNanos, Rows<K> rows) {
        if (stepNanos <= 0) throw new IllegalArgumentException("step must be positive, not " + stepNanos);
        this.stepNanos = stepNanos;
        this.rows = rows;
        for (int i = 0; i < SITES; i++) indexes[i] = new InstantIndex(stepNanos);
    }

    /** Counts per server endpoint whose rows are the timeline's {@link TimelineRow}s. */
    static StepCounts<ServerEndpoint> forEndpoints(long stepNanos, Consumer<TimelineRow> rows) {
        return new StepCounts<>(stepNanos, (t, key, values, partial) ->
            rows.accept(new TimelineRow(t, key.ip(), key.port(), values, partial)));
    }

    /**
     * Sets where the timeline begins: the first instant at or after {@code firstNanos}; instants before
     * {@code partialBeforeNanos} are marked partial. Called once, before any change.
     */
    void start(long firstNanos, long partialBeforeNanos) {
        started = true;
        next = instantAtOrAfter(firstNanos);
        partialBefore = partialBeforeNanos;
    }

    boolean started() {
        return started;
    }

    /** Adds {@code delta} to {@code count} of {@code key} at time {@code atNanos}. */
    void change(K key, Count count, long atNanos, long delta) {
        changeAt(key, count, indexOf(atNanos, NOW), delta, NOW);
    }

    /**
     * Adds {@code delta} to {@code count} of {@code key} at instant index {@code k}. Per call site ({@code site}, as
     * in {@link #indexOf}) the last key, instant and counters are remembered: connections that end one after
     * another mostly share their endpoint and their instants, so most changes need no map look-up. A remembered
     * instant is never written while remembered, since every change is at or after the first instant not written.
     */
    private void changeAt(K key, Count count, long k, long delta, int site) {
        if (k < next) {
            late++;
            k = next;
        }
        long[] values;
        Object cached = cacheKey[site];
        if (k == cacheAt[site] && (cached == key || key.equals(cached))) { // the same object, mostly (Interned)
            values = cacheValues[site];
        } else {
            Map<K, long[]> at = changesAt(k);
            values = at.get(key);
            if (values == null) at.put(key, values = new long[COUNTS.length]);
            cacheAt[site] = k;
            cacheKey[site] = key;
            cacheValues[site] = values;
        }
        values[count.ordinal()] += delta;
    }

    /** Counts {@code count} as one connection from {@code fromNanos} until just before {@code toNanos}. */
    void during(K key, Count count, long fromNanos, long toNanos) {
        long from = indexOf(fromNanos, START);
        long to = indexOf(toNanos, END);
        if (from >= to) return; // between two instants: never counted
        changeAt(key, count, from, 1, START);
        changeAt(key, count, to, -1, END);
    }

    /** {@link #instantAtOrAfter} through the call site's {@link InstantIndex} ({@code site} as in {@link #changeAt}). */
    private long indexOf(long nanos, int site) {
        return indexes[site].of(nanos);
    }

    /** The time of the first instant not yet written ({@link Long#MAX_VALUE} before {@link #start} and after {@link #discard}). */
    long nextInstantNanos() {
        return started && next != Long.MAX_VALUE ? next * stepNanos : Long.MAX_VALUE;
    }

    /** Writes every instant before {@code nanos}: no change can reach them any more. */
    void writeBefore(long nanos) {
        writeUntil(instantAtOrAfter(nanos));
    }

    /** Writes every instant up to the first at or after {@code nanos}, included: the end of the input. */
    void writeThrough(long nanos) {
        writeUntil(instantAtOrAfter(nanos) + 1);
    }

    /** Changes that came after their instant was written (see the class comment). */
    long late() {
        return late;
    }

    /** The changes at instant {@code k} (at or after {@link #next}), made if there were none. */
    private Map<K, long[]> changesAt(long k) {
        long offset = k - next;
        if (offset >= ring.length) grow(offset);
        if (offset >= ring.length) return far.computeIfAbsent(k, i -> new HashMap<>());
        int slot = slot(k);
        Map<K, long[]> m = ring[slot];
        if (m == null) ring[slot] = m = new HashMap<>();
        return m;
    }

    /** Takes the changes at {@link #next} out (null if none), first moving in the far ones the ring now reaches. */
    private Map<K, long[]> takeNext() {
        while (!far.isEmpty() && far.firstKey() - next < ring.length) {
            Map.Entry<Long, Map<K, long[]>> e = far.pollFirstEntry();
            ring[slot(e.getKey())] = e.getValue();
        }
        int slot = slot(next);
        Map<K, long[]> m = ring[slot];
        ring[slot] = null;
        return m;
    }

    /** The first instant from {@link #next} up to before {@code end} with changes, or {@code end} if none. */
    private long firstChangeBefore(long end) {
        long reach = Math.min(end, next + ring.length);
        for (long k = next; k < reach; k++) {
            if (ring[slot(k)] != null) return k;
        }
        if (!far.isEmpty() && far.firstKey() < end) return far.firstKey();
        return end;
    }

    /** Widens the ring to reach {@code offset} past {@link #next}, up to {@link #MAX_RING}. */
    @SuppressWarnings("unchecked")
    private void grow(long offset) {
        int size = ring.length;
        while (size <= offset && size < MAX_RING) size *= 2;
        if (size == ring.length) return;
        Map<K, long[]>[] wider = new Map[size];
        for (long i = next; i < next + ring.length; i++) wider[(int) (i & (size - 1))] = ring[slot(i)];
        ring = wider;
    }

    private int slot(long k) {
        return (int) (k & (ring.length - 1));
    }

    /** Forgets every change not yet written and writes nothing more: the way out when memory ran out. */
    void discard() {
        java.util.Arrays.fill(ring, null);
        far.clear();
        current.clear();
        java.util.Arrays.fill(cacheAt, Long.MIN_VALUE);
        java.util.Arrays.fill(cacheKey, null);
        next = Long.MAX_VALUE;
    }

    private void writeUntil(long end) {
        if (!started) return;
        while (next < end) {
            if (current.isEmpty()) {
                // Nothing is held: skip to the next change, so quiet stretches cost nothing.
                long k = firstChangeBefore(end);
                if (k >= end) {
                    next = end;
                    return;
                }
                next = k;
            }
            Map<K, long[]> at = takeNext();
            if (at != null) {
                for (Map.Entry<K, long[]> e : at.entrySet()) {
                    long[] values = current.computeIfAbsent(e.getKey(), Series::new).values;
                    for (int i = 0; i < values.length; i++) values[i] += e.getValue()[i];
                }
            }
            long t = next * stepNanos;
            Iterator<Series<K>> it = current.values().iterator();
            while (it.hasNext()) {
                Series<K> s = it.next();
                if (s.any()) rows.row(t, s.key, s.values, t < partialBefore);
                if (!s.carry()) {
                    it.remove();
                    rows.retired(s.key);
                }
            }
            next++;
        }
    }

    /** The index of the first instant at or after {@code nanos} (a ceiling division that also holds before 1970). */
    private long instantAtOrAfter(long nanos) {
        return -Math.floorDiv(-nanos, stepNanos);
    }
}
