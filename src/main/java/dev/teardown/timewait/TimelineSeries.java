package dev.teardown.timewait;

import dev.teardown.capture.PacketTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The timeline's rows downsampled for charts ({@link SeriesFigures}): told every {@link TimelineRow} as the
 * timeline writes it (time order), it sums the closes of every server endpoint per bucket and keeps, per server
 * endpoint, the highest TIME_WAIT population of each side per bucket. Buckets start one step wide at the first row
 * and double in width (two buckets merge into one) whenever the capture outgrows {@link #BUCKETS} of them, as a
 * {@link Shape} does with four times its buckets: about a pixel or two each at a laptop's width.
 *
 * <p>Memory: {@link #BUCKETS} counters for each of the four closes and two per endpoint held, at most
 * {@link #ENDPOINTS} endpoints, whatever the capture's length or the endpoints it names. A new endpoint takes the
 * place of the one with the lowest TIME_WAIT peak so far (its arrays reused), so the busiest stay; an endpoint
 * taken in once any was dropped is marked incomplete, as it may have held TIME_WAIT unseen before. Work: a few
 * array writes and one map look-up per row (rows come per instant and endpoint, not per packet).
 */
final class TimelineSeries implements Consumer<TimelineRow> {
    /** Buckets at most per series. */
    static final int BUCKETS = 256;
    /** Server endpoints whose populations are held. */
    static final int ENDPOINTS = 64;

    private final long stepNanos;
    private long origin = PacketTime.UNSET;
    private final Builder closesClient = new Builder(true);
    private final Builder closesServer = new Builder(true);
    private final Builder closesBoth = new Builder(true);
    private final Builder resets = new Builder(true);
    private final Map<Key, Entry> endpoints = new HashMap<>();
    private boolean dropped;

    /**
     * A server endpoint as a timeline row names it. Its equality written out: a record's own is linked through
     * method handles at its first use, about 8 ms of a run's start (a profile of runs on a small capture).
     */
    private record Key(String ip, int port) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && port == k.port && ip.equals(k.ip);
        }

        @Override
        public int hashCode() {
            return ip.hashCode() * 31 + port;
        }
    }

    /** One endpoint's populations and its peak so far (both sides at one instant). */
    private static final class Entry {
        Key key;
        final Builder server = new Builder(false);
        final Builder client = new Builder(false);
        long peak;
        boolean complete;
    }

    /** @param stepNanos the timeline's step: the first buckets' width */
    TimelineSeries(long stepNanos) {
        this.stepNanos = stepNanos;
    }

    @Override
    public void accept(TimelineRow r) {
        long t = r.timeNanos();
        if (!PacketTime.isSet(origin)) {
            origin = t;
            for (Builder b : List.of(closesClient, closesServer, closesBoth, resets)) b.reset(origin, stepNanos);
        }
        closesClient.at(t, r.count(Count.CLOSES_CLIENT));
        closesServer.at(t, r.count(Count.CLOSES_SERVER));
        closesBoth.at(t, r.count(Count.CLOSES_BOTH));
        resets.at(t, r.count(Count.RESETS));
        long server = r.count(Count.TIME_WAIT_SERVER);
        long client = r.count(Count.TIME_WAIT_CLIENT);
        Key key = new Key(r.serverIp(), r.serverPort());
        Entry e = endpoints.get(key);
        if (e == null) {
            if (server + client == 0) return; // open connections only: no TIME_WAIT to chart yet
            e = admit(key);
        }
        e.server.at(t, server);
        e.client.at(t, client);
        e.peak = Math.max(e.peak, server + client);
    }

    /** Takes {@code key} in, in place of the endpoint with the lowest peak when {@link #ENDPOINTS} are held. */
    private Entry admit(Key key) {
        Entry e;
        if (endpoints.size() < ENDPOINTS) {
            e = new Entry();
        } else {
            e = endpoints.values().stream().min(Comparator.comparingLong((Entry x) -> x.peak)
                .thenComparing(x -> x.key.ip()).thenComparingInt(x -> x.key.port())).orElseThrow();
            endpoints.remove(e.key);
            dropped = true;
        }
        e.key = key;
        e.peak = 0;
        e.complete = !dropped;
        e.server.reset(origin, stepNanos);
        e.client.reset(origin, stepNanos);
        endpoints.put(key, e);
        return e;
    }

    /** The series up to {@code endNanos} (the timeline's last instant), every one in buckets of the same width. */
    SeriesFigures figures(long endNanos) {
        if (!PacketTime.isSet(origin)) return SeriesFigures.EMPTY;
        List<Entry> held = new ArrayList<>(endpoints.values());
        held.sort(Comparator.comparingLong((Entry x) -> -x.peak).thenComparing(x -> x.key.ip())
            .thenComparingInt(x -> x.key.port()));
        List<SeriesFigures.EndpointSeries> rows = new ArrayList<>();
        for (Entry e : held) {
            rows.add(new SeriesFigures.EndpointSeries(e.key.ip(), e.key.port(), e.server.build(endNanos),
                e.client.build(endNanos), e.complete));
        }
        return new SeriesFigures(closesClient.build(endNanos), closesServer.build(endNanos), closesBoth.build(endNanos),
            resets.build(endNanos), rows);
    }

    /** Accumulates one series as instants come in time order; the bucket width doubles when the buckets run out. */
    static final class Builder {
        private final boolean sum;
        private long origin;
        private long width;
        private final long[] values = new long[BUCKETS];
        private int used;

        /** @param sum whether a bucket sums its instants (closes) rather than keeping the highest (a population) */
        Builder(boolean sum) {
            this.sum = sum;
        }

        void reset(long originNanos, long stepNanos) {
            origin = originNanos;
            width = stepNanos;
            Arrays.fill(values, 0);
            used = 0;
        }

        void at(long timeNanos, long value) {
            long index = Math.max(0, Math.floorDiv(timeNanos - origin, width));
            while (index >= BUCKETS) {
                // Halve the resolution: bucket i takes buckets 2i and 2i+1.
                for (int i = 0; i < BUCKETS / 2; i++) {
                    values[i] = sum ? values[2 * i] + values[2 * i + 1] : Math.max(values[2 * i], values[2 * i + 1]);
                }
                Arrays.fill(values, BUCKETS / 2, BUCKETS, 0);
                used = (used + 1) / 2;
                width *= 2;
                index = Math.floorDiv(timeNanos - origin, width);
            }
            int i = (int) index;
            values[i] = sum ? values[i] + value : Math.max(values[i], value);
            used = Math.max(used, i + 1);
        }

        /** Widens to {@code endNanos} (empty buckets after the last value), so every series of a run ends alike. */
        Series build(long endNanos) {
            if (endNanos > origin) at(endNanos, 0);
            return new Series(origin, width, Arrays.copyOf(values, used));
        }
    }
}
