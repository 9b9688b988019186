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
    /** Changes at instants not yet written: instant index, key, change of each count. */
    private final TreeMap<Long, Map<K, long[]>> changes = new TreeMap<>();
    /** Keys with a population above zero at the last instant written, in row order. */
    private final TreeMap<K, Series<K>> current = new TreeMap<>();
    private boolean started;
    /** Index of the first instant not yet written. */
    private long next;
    /** Instants before this time are {@code partial}. */
    private long partialBefore;
    private long late;
    /** The changes of the instant changed last, and its index: consecutive changes mostly hit one instant. */
    private Map<K, long[]> lastChanges;
    private long lastIndex;

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
        long k = instantAtOrAfter(atNanos);
        if (k < next) {
            late++;
            k = next;
        }
        if (lastChanges == null || lastIndex != k) {
            lastChanges = changes.computeIfAbsent(k, i -> new HashMap<>());
            lastIndex = k;
        }
        long[] values = lastChanges.get(key);
        if (values == null) lastChanges.put(key, values = new long[COUNTS.length]);
        values[count.ordinal()] += delta;
    }

    /** Counts {@code count} as one connection from {@code fromNanos} until just before {@code toNanos}. */
    void during(K key, Count count, long fromNanos, long toNanos) {
        if (instantAtOrAfter(fromNanos) >= instantAtOrAfter(toNanos)) return; // between two instants: never counted
        change(key, count, fromNanos, 1);
        change(key, count, toNanos, -1);
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

    /** Forgets every change not yet written and writes nothing more: the way out when memory ran out. */
    void discard() {
        changes.clear();
        current.clear();
        lastChanges = null;
        next = Long.MAX_VALUE;
    }

    private void writeUntil(long end) {
        if (!started) return;
        while (next < end) {
            if (current.isEmpty()) {
                // Nothing is held: skip to the next change, so quiet stretches cost nothing.
                Long k = changes.isEmpty() ? null : changes.firstKey();
                if (k == null || k >= end) {
                    next = end;
                    return;
                }
                next = k;
            }
            Map<K, long[]> at = changes.remove(next);
            if (at == lastChanges) lastChanges = null;
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
