package dev.teardown.timewait;

import java.util.Map;
import java.util.TreeMap;

/**
 * How many of something (TIME_WAIT sockets) there are at each of the {@link Instants}, kept as changes until their
 * instants are final, and summed up as a peak and a sum over instants. An interval {@code [from, to)} counts at every
 * instant {@code from <= t < to}, as on the timeline. Memory: the changes at instants not yet final.
 */
final class Population {
    private final Instants instants;
    private final TreeMap<Long, Long> changes = new TreeMap<>();
    /** Index of the first instant not yet summed. */
    private long next;
    private long current;
    private long peak;
    private long sum;

    Population(Instants instants) {
        this.instants = instants;
        this.next = instants.horizonIndex();
    }

    /**
     * Counts one from {@code fromNanos} until just before {@code toNanos}; a start before the final instants' horizon
     * is moved to it (such a change came too late to be placed; the caller counts those).
     */
    void add(long fromNanos, long toNanos) {
        long horizon = instants.horizonNanos();
        long from = Math.max(fromNanos, horizon);
        long to = Math.max(toNanos, horizon);
        if (instants.indexAtOrAfter(from) >= instants.indexAtOrAfter(to)) return; // between two instants: never counted
        changes.merge(from, 1L, Long::sum);
        changes.merge(to, -1L, Long::sum);
    }

    /** Sums the instants the {@link Instants} made final. */
    void sweep() {
        long end = instants.horizonIndex();
        while (!changes.isEmpty()) {
            Map.Entry<Long, Long> first = changes.firstEntry();
            long k = instants.indexAtOrAfter(first.getKey());
            if (k >= end) break;
            count(k);
            current += first.getValue();
            changes.pollFirstEntry();
        }
        count(end);
    }

    /** Counts the instants from {@link #next} to just before {@code index} at the current value. */
    private void count(long index) {
        if (index <= next) return;
        sum += current * (index - next);
        peak = Math.max(peak, current);
        next = index;
    }

    /** Nothing counted now and nothing waiting: the population can be forgotten once its peak is read. */
    boolean empty() {
        return current == 0 && changes.isEmpty();
    }

    long peak() {
        return peak;
    }

    /** The sum over the instants summed so far (for a mean). */
    long sum() {
        return sum;
    }
}
