package dev.teardown.timewait;

import java.util.Map;
import java.util.TreeMap;

/**
 * How many of something (TIME_WAIT sockets) there are at each of the {@link Instants}, kept as changes until their
 * instants are final, and summed up as a peak and a sum over instants. An interval {@code [from, to)} counts at every
 * instant {@code from <= t < to}, as on the timeline.
 *
 * <p>The changes sit in a ring of counters indexed by instant (two array updates per interval, nothing allocated:
 * the what-if adds several intervals per connection and timeout tried). The ring grows to span the changes waiting,
 * at most {@link #MAX_RING} instants (a TIME_WAIT plus the what-if's lag at a one-second step needs a few hundred);
 * a change beyond, with a very fine step, waits in a sorted map until the ring reaches it. Memory: the instants
 * between the first not yet summed and the last change waiting.
 */
final class Population {
    /** Most instants the ring spans. */
    static final int MAX_RING = 1 << 16;
    private final Instants instants;
    private long[] ring = new long[16];
    /** Index of the first instant not yet summed: the ring's first slot. */
    private long next;
    /** The last instant with a change waiting, or {@code next - 1} when none. */
    private long lastChange;
    /** Changes past the ring's reach, or null. */
    private TreeMap<Long, Long> far;
    private long current;
    private long peak;
    private long sum;

    Population(Instants instants) {
        this.instants = instants;
        this.next = instants.horizonIndex();
        this.lastChange = next - 1;
    }

    /**
     * Counts one from {@code fromNanos} until just before {@code toNanos}; a start before the final instants' horizon
     * is moved to it (such a change came too late to be placed; the caller counts those).
     */
    void add(long fromNanos, long toNanos) {
        long horizon = instants.horizonNanos();
        long from = instants.startIndex(Math.max(fromNanos, horizon));
        long to = instants.endIndex(Math.max(toNanos, horizon));
        if (from >= to) return; // between two instants: never counted
        change(from, 1);
        change(to, -1);
    }

    private void change(long index, long delta) {
        long offset = index - next; // never negative: the horizon is at or past next
        if (offset >= ring.length) grow(offset);
        if (offset >= ring.length) {
            if (far == null) far = new TreeMap<>();
            far.merge(index, delta, Long::sum);
        } else {
            ring[slot(index)] += delta;
        }
        lastChange = Math.max(lastChange, index);
    }

    /** Sums the instants the {@link Instants} made final. */
    void sweep() {
        long end = instants.horizonIndex();
        while (next < end) {
            if (current == 0 && next > lastChange) {
                next = end; // nothing held and nothing waiting: the quiet instants add nothing
                break;
            }
            if (far != null) pullFar();
            int s = slot(next);
            current += ring[s];
            ring[s] = 0;
            sum += current;
            if (current > peak) peak = current;
            next++;
        }
        if (next > lastChange) lastChange = next - 1;
    }

    /** Moves the far changes the ring now reaches into it. */
    private void pullFar() {
        while (!far.isEmpty()) {
            Map.Entry<Long, Long> e = far.firstEntry();
            if (e.getKey() - next >= ring.length) return;
            ring[slot(e.getKey())] += e.getValue();
            far.pollFirstEntry();
        }
        far = null;
    }

    /** Widens the ring to reach {@code offset} past {@link #next}, up to {@link #MAX_RING}. */
    private void grow(long offset) {
        int size = ring.length;
        while (size <= offset && size < MAX_RING) size *= 2;
        if (size == ring.length) return;
        long[] wider = new long[size];
        for (long i = next; i < next + ring.length; i++) wider[(int) (i & (size - 1))] = ring[slot(i)];
        ring = wider;
    }

    private int slot(long index) {
        return (int) (index & (ring.length - 1));
    }

    /** The index of the first instant not yet summed (or stepped). */
    long nextIndex() {
        return next;
    }

    /**
     * Moves one instant on without summing: applies the changes at {@link #nextIndex()} and returns the value
     * there. For a {@link PopulationGroup}, which sums its members' values instant by instant.
     */
    long step() {
        if (far != null) pullFar();
        int s = slot(next);
        current += ring[s];
        ring[s] = 0;
        next++;
        if (next > lastChange) lastChange = next - 1;
        return current;
    }

    /** Jumps to instant {@code index} without summing; only while {@link #empty()} (nothing held, nothing waiting). */
    void skipTo(long index) {
        if (index > next) {
            next = index;
            lastChange = next - 1;
        }
    }

    /** Nothing counted now and nothing waiting: the population can be forgotten once its peak is read. */
    boolean empty() {
        return current == 0 && next > lastChange;
    }

    long peak() {
        return peak;
    }

    /** The sum over the instants summed so far (for a mean). */
    long sum() {
        return sum;
    }
}
