package dev.teardown.timewait;

/**
 * Several populations that share a common part: per member i, {@code base + extra[i]} at each instant, with the
 * peak and the sum over instants of each. The what-if adds a connection that no timeout changes once, to the
 * base, instead of once per timeout tried; only what differs between timeouts goes to the members' extras.
 * Memory: the base's and the extras' rings ({@link Population}).
 */
final class PopulationGroup {
    private final Instants instants;
    private final Population base;
    private final Population[] extra;
    private final long[] peak;
    private final long[] sum;
    /** The base's own peak: the connections no timeout changes (the what-if's "left" TIME_WAIT). */
    private long basePeak;

    PopulationGroup(Instants instants, int members) {
        this.instants = instants;
        this.base = new Population(instants);
        this.extra = new Population[members];
        for (int i = 0; i < members; i++) extra[i] = new Population(instants);
        this.peak = new long[members];
        this.sum = new long[members];
    }

    /** Counts one in every member from {@code fromNanos} until just before {@code toNanos}. */
    void addToAll(long fromNanos, long toNanos) {
        base.add(fromNanos, toNanos);
    }

    /** Counts one in member {@code i} only. */
    void add(int i, long fromNanos, long toNanos) {
        extra[i].add(fromNanos, toNanos);
    }

    /** Sums the instants the {@link Instants} made final, member by member, at the same instants. */
    void sweep() {
        long end = instants.horizonIndex();
        while (base.nextIndex() < end) {
            if (empty()) {
                base.skipTo(end);
                for (Population p : extra) p.skipTo(end);
                return;
            }
            long b = base.step();
            if (b > basePeak) basePeak = b;
            for (int i = 0; i < extra.length; i++) {
                long v = b + extra[i].step();
                sum[i] += v;
                if (v > peak[i]) peak[i] = v;
            }
        }
    }

    /** Nothing held and nothing waiting in any member. */
    boolean empty() {
        if (!base.empty()) return false;
        for (Population p : extra) if (!p.empty()) return false;
        return true;
    }

    long peak(int i) {
        return peak[i];
    }

    /** The highest value of the part every member shares. */
    long basePeak() {
        return basePeak;
    }

    long sum(int i) {
        return sum[i];
    }
}
